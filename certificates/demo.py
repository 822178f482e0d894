"""Demo data of the certificates app (idempotent, through services only).

`seed_issuer` runs before any approval (so credentials issue at once); `seed` runs after
the workflow demo approved its applications: it makes sure every approved application has
its credential (and the milestone/meta credentials their rules earn); `seed_revocation` runs
last of all demo steps and revokes one credential that no milestone needs, with a reason.
"""

from django.conf import settings

from .models import Credential, Issuer
from .services import (
    credential_revoke,
    credentials_check_rules,
    issue_pending_credentials,
    issuer_keys_create,
    issuer_save,
)

DEMO_ISSUER = "EduSTA Teacher Academy (demo)"
DEMO_REVOCATION_REASON = "Issued to the wrong learner by mistake (demo revocation)."


def seed_issuer(accounts) -> Issuer:
    issuer = Issuer.objects.filter(name=DEMO_ISSUER).first()
    if issuer is None:
        issuer = issuer_save(
            actor=accounts.coordinator,
            issuer=Issuer(
                name=DEMO_ISSUER,
                url=settings.SITE_URL,
                email="badges@example.org",
                country_code="FI",
                region="Uusimaa",
                description="Demo issuer of the EduSTA badge constellation.",
                is_default=True,
            ),
        )
    issuer_keys_create(issuer=issuer, actor=accounts.coordinator)
    return issuer


def seed(accounts) -> None:
    issue_pending_credentials()
    for learner in [*accounts.learners, *accounts.assessors]:
        credentials_check_rules(recipient=learner)


def seed_revocation(accounts) -> None:
    """Revoke one credential that no milestone needs. Runs last, once every demo approval
    has issued its credential, so the first run already shows a revoked credential."""
    if Credential.objects.filter(revocation_reason=DEMO_REVOCATION_REASON).exists():
        return
    lena = accounts.learners[0]
    candidate = (
        Credential.objects.filter(
            revoked_at__isnull=True, application__isnull=False, used_by__isnull=True
        )
        .exclude(recipient=lena)
        .order_by("pk")
        .first()
    )
    if candidate is None:
        candidate = (
            Credential.objects.filter(
                revoked_at__isnull=True, application__isnull=False, used_by__isnull=True
            )
            .order_by("pk")
            .first()
        )
    if candidate is not None:
        credential_revoke(
            actor=accounts.coordinator, credential=candidate, reason=DEMO_REVOCATION_REASON
        )
