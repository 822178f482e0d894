"""What the holder is told about their credential, and when: a mail when it is revoked, a
reminder once ahead of its expiry; and the daily pass that sends the reminders and stores
the marked documents of credentials that have expired (expiry has no event of its own).

Mails go out in the holder's preferred language (review.mail, the platform's one mail
helper), each from its own task, so a retry never repeats another mail.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.workflow import enqueue_on_commit
from review import mail

from .. import tasks
from ..models import Credential, CredentialStatus


def _credential_for_mail(credential_id: int) -> Credential | None:
    return (
        Credential.objects.select_related("recipient", "badge_version", "issuer")
        .filter(pk=credential_id)
        .first()
    )


def _context(credential: Credential) -> dict:
    return {
        "credential": credential,
        "badge_title": credential.badge_version.localized(
            "title", credential.recipient.preferred_language or settings.LANGUAGE_CODE
        ),
        "issuer": credential.issuer,
        "url": mail.absolute_url("certificates:verify", public_id=credential.public_id),
        "portfolio_url": mail.absolute_url("certificates:portfolio"),
    }


def credential_revoked_mail_send(*, credential_id: int) -> bool:
    """Mail the holder that the credential was revoked, with the date and the reason."""
    credential = _credential_for_mail(credential_id)
    if credential is None or credential.revoked_at is None:
        return False
    mail.send_to(credential.recipient, "credential_revoked", _context(credential))
    return True


def credential_expiry_reminder_send(*, credential_id: int) -> bool:
    """Mail the holder that the credential expires soon (not once it is revoked)."""
    credential = _credential_for_mail(credential_id)
    if credential is None or credential.status != CredentialStatus.VALID:
        return False
    mail.send_to(credential.recipient, "credential_expires_soon", _context(credential))
    return True


def credentials_remind_expiring(*, now: datetime | None = None) -> int:
    """Claim every valid credential that expires within CREDENTIAL_EXPIRY_REMINDER_DAYS and
    was not reminded yet, and enqueue its reminder: each is reminded once, however often
    this runs (the claim is a conditional update of `expiry_reminder_sent_at`). Returns how
    many reminders were enqueued."""
    now = now or timezone.now()
    horizon = now + timedelta(days=settings.CREDENTIAL_EXPIRY_REMINDER_DAYS)
    due = Credential.objects.filter(
        revoked_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=horizon,
        expiry_reminder_sent_at__isnull=True,
    ).exclude(ob3_credential={})
    sent = 0
    for pk in due.order_by("expires_at", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Credential.objects.filter(pk=pk, expiry_reminder_sent_at__isnull=True).update(
                expiry_reminder_sent_at=now
            )
            if claimed:
                enqueue_on_commit(tasks.notify_credential_expires_soon, pk)
                sent += 1
    return sent


def credentials_with_stale_pdfs(*, now: datetime | None = None):
    """Credentials whose stored PDFs show another status than they have now: expired since
    they were rendered (or revoked before the marked PDFs existed)."""
    now = now or timezone.now()
    stored = ~Q(certificate_pdf="") | ~Q(report_pdf="")
    revoked = Q(revoked_at__isnull=False) & ~Q(pdfs_status=CredentialStatus.REVOKED)
    expired = Q(revoked_at__isnull=True, expires_at__lte=now) & ~Q(
        pdfs_status=CredentialStatus.EXPIRED
    )
    return Credential.objects.filter(stored & (revoked | expired))


def credentials_mark_stale_pdfs(*, now: datetime | None = None) -> int:
    """Enqueue the re-rendering of every credential's PDFs that show an outdated status.
    Returns how many were enqueued (a credential already re-rendered is not found again)."""
    ids = list(credentials_with_stale_pdfs(now=now).order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        enqueue_on_commit(tasks.render_credential_pdfs, pk)
    return len(ids)
