"""Writes and side effects of the account pages that matter (see CONVENTIONS.md, "rooms")."""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User

logger = logging.getLogger(__name__)

RESET_MAIL_SUBJECT = "registration/password_reset_subject.txt"
RESET_MAIL_BODY = "registration/password_reset_email.txt"


def password_reset_recipients(*, email: str) -> list[User]:
    """The active accounts with a usable password that `email` names, in any spelling."""
    return [
        user
        for user in User.objects.with_address(email)
        if user.is_active and user.has_usable_password()
    ]


def password_reset_mail_send(*, email: str) -> int:
    """Mail each account `email` names a fresh one-time link to choose a new password, in the
    person's language; returns how many mails the relay accepted (0 for an unknown address).

    Runs in a background task (core.tasks), so that a request for a known address costs the
    same as one for an unknown address. A relay that refuses or cannot be reached raises
    after one log line, so the task fails visibly and can be run again; running it again
    sends new links, and every link works (until one of them is used).
    """
    sent = 0
    for user in password_reset_recipients(email=email):
        context = {
            "user": user,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "site_url": settings.SITE_URL,
        }
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = " ".join(render_to_string(RESET_MAIL_SUBJECT, context).split())
            body = render_to_string(RESET_MAIL_BODY, context)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        try:
            message.send()
        except OSError as error:  # smtplib.SMTPException and socket errors alike
            # One line, no traceback: the failed task's result keeps that.
            logger.error(
                "Password reset mail for user %s not sent: %s: %s",
                user.pk,
                type(error).__name__,
                error,
            )
            raise
        sent += 1
    return sent
