"""A domain error that slips past a view is a clear 4xx page, never a 500."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from core.errors import PermissionDeniedError, StaleObjectError, ValidationFailed
from core.middleware import DomainErrorMiddleware


def _handle(exception):
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    return DomainErrorMiddleware(lambda r: None).process_exception(request, exception)


@pytest.mark.parametrize(
    ("exception", "status", "text"),
    [
        (PermissionDeniedError(), 403, "You are not allowed to do this."),
        (StaleObjectError(), 409, "Someone else changed this in the meantime."),
        (
            ValidationFailed("Bad file", details=["areas[0].code: missing"]),
            400,
            "areas[0].code: missing",
        ),
    ],
)
def test_a_domain_error_becomes_a_page_with_a_4xx(db, exception, status, text):
    response = _handle(exception)

    assert response.status_code == status
    assert text in response.content.decode()


def test_other_exceptions_are_left_to_django():
    assert _handle(ZeroDivisionError()) is None
