from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import EmailAuthenticationForm, ProfileForm


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


def home(request):
    """The landing page: what the app is for, and for signed-in people their starting points."""
    return render(request, "core/home.html")


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(request.user.preferred_language)
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    return render(request, "core/profile.html", {"form": form})


@require_POST
def set_language(request):
    """Switch the interface language; a signed-in user's preference is saved too."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if (
        language
        and translation.check_for_language(language)
        and language in dict(settings.LANGUAGES)
    ):
        if request.user.is_authenticated:
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    else:
        messages.error(request, _("That language is not available."))
    return response


def lockout(request, credentials=None, *args, **kwargs):
    """django-axes: too many failed logins."""
    return render(request, "registration/lockout.html", status=429)
