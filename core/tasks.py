"""Background entry points (django.tasks) for the account pages. Tasks are leaves: each
imports the domain code it calls inside its function."""

from django.tasks import task


@task
def send_password_reset_mail(email: str) -> int:
    """Mail a link to choose a new password to the accounts `email` names (none for an
    unknown address). Enqueued on commit by the password reset page; it fails (and can be
    run again) when the relay refuses the mail."""
    from .services import password_reset_mail_send  # noqa: PLC0415 - a task imports domain code when it runs (tasks are leaves)

    return password_reset_mail_send(email=email)
