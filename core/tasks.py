"""Background entry points of core (django.tasks): thin, a service call out.

Tasks are leaves: core's domain modules import this module at top level, so each task
imports the code it calls inside its function. Both are idempotent and declared with
core.background.task, so the worker runs them again after a failure, with backoff.
"""

import logging

from .background import task

logger = logging.getLogger(__name__)


@task(max_attempts=4)
def send_password_reset_mail(email: str) -> int:
    """Mail a link to choose a new password to the accounts `email` names (none for an
    unknown address). Enqueued on commit by the password reset page; it fails when the relay
    refuses the mail, and the worker tries again (each attempt mails a fresh link, so the
    attempts are few)."""
    from .services import password_reset_mail_send  # noqa: PLC0415 - a task imports domain code when it runs (tasks are leaves)

    return password_reset_mail_send(email=email)


@task
def write_audit_checkpoint() -> int | None:
    """Sign the audit chain's head (enqueued every AUDIT_CHECKPOINT_EVERY events).

    Idempotent: when the newest checkpoint already covers the head, nothing is written.
    """
    from .checkpoints import CheckpointKeyMissing, checkpoint_write  # noqa: PLC0415 - a task imports domain code when it runs (tasks are leaves)

    try:
        checkpoint = checkpoint_write()
    except CheckpointKeyMissing as error:
        logger.error("No audit checkpoint written: %s", error)
        return None
    return checkpoint.pk if checkpoint else None
