"""The holder is told: a mail when their credential is revoked, in their language, and one
reminder ahead of its expiry however often the daily command runs."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import formats, timezone, translation

from certificates.models import Credential
from certificates.services import credential_revoke, credentials_remind_expiring
from core.errors import WorkflowError
from core.roles import Role
from tests.factories.certificates import issued_credential
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db

REASON = "Evidence was copied from another learner."


def _date(moment, language="en") -> str:
    with translation.override(language):
        return formats.date_format(moment, "DATE_FORMAT")


def test_revoking_mails_the_holder_once_with_the_date_and_the_reason(
    issuer, mailoutbox, django_capture_on_commit_callbacks
):
    learner = UserFactory(
        roles=[Role.LEARNER], display_name="Lena Learner", preferred_language="en"
    )
    credential = issued_credential(learner=learner)

    with django_capture_on_commit_callbacks(execute=True):
        credential_revoke(actor=None, credential=credential, reason=REASON)

    credential.refresh_from_db()
    title = credential.badge_version.title
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [learner.email]
    assert mail.subject == f"Your credential was revoked: {title}"
    assert mail.body == (
        "Hello Lena Learner,\n\n"
        f"Your credential “{title}” from {issuer.name} was revoked on "
        f"{_date(credential.revoked_at)}. It is no longer valid: its verification page says so "
        "to everyone, and its certificate is now marked as revoked.\n\n"
        f"Reason:\n{REASON}\n\n"
        "The verification page: "
        f"https://badges.example.org/credentials/{credential.public_id}/\n\n"
        f"If you think this is a mistake, write to the issuer: {issuer.email}\n\n"
    )


def test_the_revocation_mail_is_in_the_holders_language(
    issuer, mailoutbox, django_capture_on_commit_callbacks
):
    learner = UserFactory(
        roles=[Role.LEARNER], display_name="Lena Learner", preferred_language="de"
    )
    credential = issued_credential(learner=learner)

    with django_capture_on_commit_callbacks(execute=True):
        credential_revoke(actor=None, credential=credential, reason=REASON)

    credential.refresh_from_db()
    body = mailoutbox[0].body
    assert body.startswith("Hallo Lena Learner,\n\n")
    assert _date(credential.revoked_at, "de") in body
    assert f"Begründung:\n{REASON}\n" in body


def test_a_refused_revocation_sends_no_mail(issuer, mailoutbox, django_capture_on_commit_callbacks):
    credential = issued_credential()
    credential_revoke(actor=None, credential=credential, reason=REASON)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
        credential_revoke(actor=None, credential=credential, reason=REASON)

    assert mailoutbox == []


def _expiring(days: float, **kwargs) -> Credential:
    credential = issued_credential(**kwargs)
    Credential.objects.filter(pk=credential.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=days)
    )
    credential.refresh_from_db()
    return credential


def test_the_expiry_reminder_is_sent_exactly_once(
    issuer, mailoutbox, django_capture_on_commit_callbacks
):
    learner = UserFactory(
        roles=[Role.LEARNER], display_name="Lena Learner", preferred_language="en"
    )
    credential = _expiring(10, learner=learner)

    with django_capture_on_commit_callbacks(execute=True):
        first = credentials_remind_expiring()
    with django_capture_on_commit_callbacks(execute=True):
        second = credentials_remind_expiring()

    credential.refresh_from_db()
    title = credential.badge_version.title
    assert (first, second) == (1, 0)
    assert credential.expiry_reminder_sent_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [learner.email]
    assert mailoutbox[0].subject == f"Your credential expires soon: {title}"
    assert mailoutbox[0].body == (
        "Hello Lena Learner,\n\n"
        f"Your credential “{title}” from {issuer.name} expires on "
        f"{_date(credential.expires_at)}. After that date it is shown as expired, and its "
        "certificate is marked as expired.\n\n"
        "The verification page: "
        f"https://badges.example.org/credentials/{credential.public_id}/\n"
        "Your credentials: https://badges.example.org/my-credentials/\n\n"
    )


def test_only_valid_credentials_expiring_within_the_setting_are_reminded(
    issuer, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.CREDENTIAL_EXPIRY_REMINDER_DAYS = 14
    soon = _expiring(13)
    _expiring(15)  # later than the setting
    _expiring(-1)  # expired already
    revoked = _expiring(5)
    credential_revoke(actor=None, credential=revoked, reason=REASON)

    with django_capture_on_commit_callbacks(execute=True):
        sent = credentials_remind_expiring()

    assert sent == 1
    assert [m.to for m in mailoutbox] == [[soon.recipient.email]]
    assert list(
        Credential.objects.filter(expiry_reminder_sent_at__isnull=False).values_list(
            "pk", flat=True
        )
    ) == [soon.pk]


def test_the_daily_command_reminds_and_says_how_many(
    issuer, mailoutbox, django_capture_on_commit_callbacks
):
    _expiring(3)

    class Out:
        text = ""

        def write(self, text):
            self.text += text

        def flush(self):
            pass

    out = Out()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("credentials_daily", stdout=out)
        call_command("credentials_daily", stdout=out)

    assert out.text == "reminded 1, documents to mark 0\nreminded 0, documents to mark 0\n"
    assert len(mailoutbox) == 1
