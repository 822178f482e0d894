import logging

from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import DomainError, PermissionDeniedError, WorkflowError
from .storage import storage_unavailable

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again when the file store is down.
STORAGE_RETRY_AFTER = 30

# Powerful browser features no page of ours uses, switched off for every page and every
# frame in it (an uploaded file opened inline cannot ask for them either). The site has no
# JavaScript of its own; should a page ever need one of these, allow it there: `(self)`.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "storage-access",
        "usb",
        "web-share",
        "window-management",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response, static files and error pages included (it
    sits right after SecurityMiddleware, before WhiteNoise answers). A view that sets its
    own header keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class UserLanguageMiddleware:
    """A signed-in user's preferred language wins over the browser's, unless they chose one
    with the language switcher in this session (the switcher also saves their preference)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.preferred_language
            and translation.check_for_language(user.preferred_language)
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class DomainErrorMiddleware:
    """The safety net under every view: a domain error that a view did not turn into a
    message (see core.errors) becomes a clear page with a 4xx, never a 500.

    Views should still catch the errors they expect and redirect with a message; this only
    decides what happens when one slips through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        if isinstance(exception, PermissionDeniedError):
            status, heading = 403, _("Not allowed")
        elif isinstance(exception, WorkflowError):
            status, heading = 409, _("Not possible right now")
        else:
            status, heading = 400, _("Please check your input")
        return render(
            request,
            "core/problem.html",
            {"heading": heading, "problem": exception.message, "details": exception.details},
            status=status,
        )


class StorageUnavailableMiddleware:
    """An object store that refuses, times out or fails (core.storage.storage_unavailable)
    becomes a 503 page with Retry-After, never a bare 500. The services make sure nothing
    was half-written (core.storage.removed_on_error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not storage_unavailable(exception):
            return None
        logger.warning(
            "File storage unavailable for %s %s: %r", request.method, request.path, exception
        )
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(STORAGE_RETRY_AFTER)
        return response
