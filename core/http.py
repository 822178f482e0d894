"""Turning a refused action into an answer, the same way in every app's views."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect

from .errors import DomainError, PermissionDeniedError, StaleObjectError


def domain_error_response(request, error: DomainError, url: str):
    """A refused action: 403 when not permitted; 409 for a lost race when the client is not
    a browser; otherwise a message and a redirect to the page that shows the current state."""
    if isinstance(error, PermissionDeniedError):
        raise PermissionDenied(str(error.message))
    if isinstance(error, StaleObjectError) and "text/html" not in request.headers.get("Accept", ""):
        return HttpResponse(
            str(error.message), status=409, content_type="text/plain; charset=utf-8"
        )
    messages.error(request, str(error.message))
    return redirect(url)
