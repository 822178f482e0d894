"""The home page: a calm landing page for visitors; for a signed-in person, one to-do list
per role they hold."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import selectors, services


@require_safe
def home(request):
    if not request.user.is_authenticated:
        return render(request, "home/landing.html")
    return render(request, "home/home.html", selectors.home_for(user=request.user))


@login_required
@require_POST
def mark_seen(request):
    """Move the person's seen mark to now: "new since" starts again from here."""
    services.seen_mark_set(user=request.user)
    messages.success(request, _("Marked as seen. New items will appear from now on."))
    return redirect("home")
