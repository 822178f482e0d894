import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import background, tasks
from .forms import EmailAuthenticationForm, EmailPasswordResetForm, ProfileForm
from .workflow import enqueue_on_commit


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a new password only enqueues the mail (core.tasks), whether the address
    has an account or not: the answer, and the time it takes, say nothing about that. The
    task builds the link from SITE_URL (never from the request's Host header)."""

    form_class = EmailPasswordResetForm

    def form_valid(self, form):
        enqueue_on_commit(tasks.send_password_reset_mail, form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


def set_language_cookie(response, language: str) -> None:
    """The language cookie with every LANGUAGE_COOKIE_* setting (Secure in production)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(request.user.preferred_language)
        response = redirect("profile")
        set_language_cookie(response, request.user.preferred_language)
        messages.success(request, _("Your profile was saved."))
        return response
    return render(request, "core/profile.html", {"form": form})


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


@require_POST
def set_language(request):
    """Switch the interface language; a signed-in user's preference is saved too."""
    language = request.POST.get("language", "")
    next_url = _safe_next(request, request.POST.get("next"))
    if language not in dict(settings.LANGUAGES) or not translation.check_for_language(language):
        return render(
            request,
            "core/problem.html",
            {
                "heading": _("Language not available"),
                "problem": _("That language is not available."),
                "back_url": next_url,
            },
            status=400,
        )
    if request.user.is_authenticated and request.user.preferred_language != language:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    translation.activate(language)
    response = HttpResponseRedirect(next_url)
    set_language_cookie(response, language)
    return response


def lockout(request, credentials=None, *args, **kwargs):
    """django-axes: too many failed logins (429, with a way forward)."""
    return render(
        request,
        "registration/lockout.html",
        {"cooloff_hours": settings.AXES_COOLOFF_TIME},
        status=429,
    )


# --- the background task queue (core.background), for staff; read-only for auditors ------


@login_required
@require_safe
def task_queue(request):
    """Queued, running, stale and failed background tasks, and the workers running them."""
    if not request.user.has_perm("core.view_task_queue"):
        raise PermissionDenied
    database_queue = background.uses_database_queue()
    return render(
        request,
        "core/task_queue.html",
        {
            "overview": background.queue_overview() if database_queue else None,
            "can_retry": request.user.has_perm("core.retry_tasks"),
            "stale_after": settings.TASK_STALE_AFTER,
        },
    )


@login_required
@require_POST
def task_queue_retry(request):
    """Queue failed tasks again (those ticked, or all), or settle stale runs now."""
    if not request.user.has_perm("core.retry_tasks"):
        raise PermissionDenied
    action = request.POST.get("action", "")
    ids = request.POST.getlist("task")
    try:
        ids = [str(uuid.UUID(value)) for value in ids]
    except ValueError:
        ids = None
    if action == "recover":
        count = background.recover_stale_runs()
        messages.success(request, _("%(count)d stale task(s) settled.") % {"count": count})
    elif action == "retry_all" or (action == "retry" and ids):
        count = background.task_retry(ids=ids if action == "retry" else None)
        messages.success(request, _("%(count)d task(s) queued again.") % {"count": count})
    else:
        return render(
            request,
            "core/problem.html",
            {
                "heading": _("Nothing to retry"),
                "problem": _("Choose failed tasks to retry."),
                "back_url": reverse("task_queue"),
            },
            status=400,
        )
    return redirect("task_queue")
