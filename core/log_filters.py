"""Logging filters (wired in config/settings/base.py, LOGGING)."""

import logging

REASON_MAX_LENGTH = 300


def _one_line(value) -> str:
    """Untrusted text (a path, a method, a message) as one escaped line, as Django does."""
    return str(value).encode("unicode_escape").decode("ascii")


class OneLineClientErrors(logging.Filter):
    """A refused request (4xx) logged by Django as one line without a traceback.

    Django logs every 403 from PermissionDenied with the exception's traceback, so a probe
    of forbidden URLs fills the log with tracebacks of nothing wrong. This keeps the level
    Django chose (WARNING for 4xx) and rewrites the record to
    `403 GET /path user=12 reason=…`. Server errors (5xx) keep their tracebacks.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or not 400 <= status < 500:
            return True
        if getattr(record, "one_line", False):
            return True  # rewritten already (by the logger's filter, then a handler's)
        if record.name != "django.request" and not record.name.startswith("django.security"):
            return True
        request = getattr(record, "request", None)
        exception = record.exc_info[1] if record.exc_info else None
        if exception is not None:
            reason = str(exception) or type(exception).__name__
        else:
            reason = record.getMessage()
        record.msg = "%s %s %s user=%s reason=%s"
        record.args = (
            status,
            _one_line(getattr(request, "method", "-")),
            _one_line(getattr(request, "path", "-")),
            _user_id(request),
            _one_line(reason)[:REASON_MAX_LENGTH],
        )
        record.exc_info = None
        record.exc_text = None
        record.one_line = True
        return True


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    if user is None:
        return "-"
    try:
        pk = user.pk if user.is_authenticated else None
    except Exception:  # a log line must never turn a 403 into a 500
        return "?"
    return str(pk) if pk is not None else "anonymous"
