"""A refused request is logged as one line without a traceback; a server error keeps its
traceback (the filter production's console handler applies, core.log_filters)."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden, HttpResponseServerError
from django.test import Client
from django.urls import reverse
from django.utils.log import log_response
from django.utils.module_loading import import_string

from tests.tools.settings_loader import load_settings

PRODUCTION = {
    "SECRET_KEY": "x" * 64,
    "DATABASE_URL": "sqlite://:memory:",
    "ALLOWED_HOSTS": "badges.example.org",
    "TRUSTED_PROXY_COUNT": "0",
}


@pytest.fixture(scope="module")
def production_logging():
    return load_settings("production", PRODUCTION).LOGGING


@pytest.fixture
def django_log(production_logging):
    """What reaches a handler configured as production's console handler, as text lines
    (message and, when there is one, the traceback)."""
    spec = production_logging["filters"]["one_line_client_errors"]
    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.DEBUG)
    handler.addFilter(import_string(spec["()"])())
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("django")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def test_production_applies_the_filter_to_its_console_handler(production_logging):
    assert production_logging["filters"] == {
        "one_line_client_errors": {"()": "core.log_filters.OneLineClientErrors"}
    }
    assert production_logging["handlers"]["console"]["filters"] == ["one_line_client_errors"]
    assert production_logging["loggers"]["django.request"] == {
        "filters": ["one_line_client_errors"]
    }


def test_a_record_filtered_twice_is_rewritten_once(learner, rf, production_logging):
    one_line = import_string(production_logging["filters"]["one_line_client_errors"]["()"])()
    request = rf.get("/quality/report/")
    request.user = learner
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Forbidden: %s",
        ("/quality/report/",),
        (PermissionDenied, PermissionDenied("No."), None),
    )
    record.status_code = 403
    record.request = request

    one_line.filter(record)
    one_line.filter(record)

    assert (record.getMessage(), record.exc_info) == (
        f"403 GET /quality/report/ user={learner.pk} reason=No.",
        None,
    )


def test_a_permission_denied_is_one_warning_line_with_method_path_user_and_reason(
    client, learner, django_log
):
    client.force_login(learner)

    response = client.get(reverse("quality:report") + "?x=1")

    assert response.status_code == 403
    assert [(r.name, r.levelno, r.getMessage(), r.exc_info) for r in django_log] == [
        (
            "django.request",
            logging.WARNING,
            f"403 GET /quality/report/ user={learner.pk} reason=PermissionDenied",
            None,
        )
    ]


def test_the_reason_is_the_refusals_message_and_the_path_cannot_forge_a_line(
    learner, django_log, rf
):
    request = rf.post("/review/7/decide/")
    request.path = "/review/7/decide/\n-fake line"
    request.user = learner
    response = HttpResponseForbidden()

    log_response(
        "Forbidden (Permission denied): %s",
        request.path,
        response=response,
        request=request,
        exception=PermissionDenied("You are not allowed to do this."),
    )

    assert [r.getMessage() for r in django_log] == [
        f"403 POST /review/7/decide/\\n-fake line user={learner.pk} "
        "reason=You are not allowed to do this."
    ]


def test_a_csrf_refusal_is_one_line_for_an_anonymous_visitor(db, django_log):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("logout"))

    assert response.status_code == 403
    assert [(r.name, r.getMessage(), r.exc_info) for r in django_log] == [
        (
            "django.security.csrf",
            "403 POST /accounts/logout/ user=anonymous "
            "reason=Forbidden (CSRF cookie not set.): /accounts/logout/",
            None,
        )
    ]


def test_a_server_error_keeps_its_message_and_traceback(rf, django_log):
    request = rf.get("/somewhere/")
    try:
        raise RuntimeError("the database went away")
    except RuntimeError as error:
        log_response(
            "%s: %s",
            "Internal Server Error",
            request.path,
            response=HttpResponseServerError(),
            request=request,
            exception=error,
        )

    assert len(django_log) == 1
    record = django_log[0]
    assert (record.levelno, record.getMessage()) == (
        logging.ERROR,
        "Internal Server Error: /somewhere/",
    )
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == "the database went away"
