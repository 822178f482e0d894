"""Background entry points (django.tasks): primary keys in, a service call out.

Every task here is idempotent and declared with core.background.task: the worker runs a
failed one again with backoff (TASK_MAX_ATTEMPTS). `manage.py issue_pending_credentials`
stays as the catch-all for issuing (e.g. after an issuer was configured); a PDF not stored
yet is rendered in memory (and not stored) when it is downloaded. Tasks are leaves: the domain code imports them at top level, so each
task imports the domain code it calls inside its function.
"""

import logging

from core.background import task

logger = logging.getLogger(__name__)


@task
def issue_credential_for_application(application_id: int) -> int | None:
    """Issue the credential of an approved application (enqueued after commit by the
    approval). Idempotent: returns the existing credential's id if there is one. When issuing
    is not possible yet (no issuer, no keys) it raises, so the worker tries again later."""
    from .services import credential_issue_for_application  # noqa: PLC0415 - a task imports domain code when it runs (tasks are leaves)

    credential = credential_issue_for_application(application_id=application_id)
    return credential.pk if credential else None


@task
def check_credential_rules(recipient_id: int) -> list[int]:
    """Issue the milestone/meta credentials the recipient's credentials now satisfy."""
    from core.models import User  # noqa: PLC0415 - a task imports domain code when it runs (tasks are leaves)

    from .services import credentials_check_rules  # noqa: PLC0415 - a task imports domain code when it runs (tasks are leaves)

    recipient = User.objects.filter(pk=recipient_id).first()
    if recipient is None:
        return []
    return [c.pk for c in credentials_check_rules(recipient=recipient)]


@task
def render_credential_pdfs(credential_id: int) -> None:
    """Render and store the certificate and the assessment report (idempotent)."""
    from .pdf import credential_pdfs_render  # noqa: PLC0415 - a task imports domain code when it runs (tasks are leaves)

    credential_pdfs_render(credential_id=credential_id)


@task
def notify_credential_revoked(credential_id: int) -> None:
    """Tell the holder that their credential was revoked (one mail per credential)."""
    from .services import credential_revoked_mail_send  # noqa: PLC0415 - a task imports domain code when it runs (tasks are leaves)

    credential_revoked_mail_send(credential_id=credential_id)


@task
def notify_credential_expires_soon(credential_id: int) -> None:
    """Remind the holder that their credential expires soon (claimed once by
    `credentials_remind_expiring`, which enqueues this)."""
    from .services import credential_expiry_reminder_send  # noqa: PLC0415 - a task imports domain code when it runs (tasks are leaves)

    credential_expiry_reminder_send(credential_id=credential_id)
