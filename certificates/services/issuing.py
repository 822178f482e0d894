"""Issuing a credential: once per approved application (or satisfied milestone/meta rule),
signed in both Open Badges formats and baked; idempotent and safe to re-run.

The OneToOne `application` column (and the partial unique constraint for milestone/meta
credentials) make a second credential impossible even when two workers race. Failures
leave the application approved without a credential, and `manage.py
issue_pending_credentials` (run periodically) issues them later.
"""

import json
import logging
import secrets
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationState
from core.audit import audit_record
from core.workflow import enqueue_on_commit
from frameworks.models import BadgeVersion

from .. import tasks
from ..models import SIGNING_ALGORITHMS, Credential, Issuer, KeyAlgorithm, StatusList
from ..openbadges import baking, signing
from ..openbadges.keys import active_keys, ed25519_private, rs256_private_jwk, verification_method
from ..openbadges.ob3 import IssueContext, build_credential, iso, jwt_claims
from ..openbadges.urls_public import credential_urls, issuer_key_url
from ..selectors import criterion_results, issuer_for, public_evidence
from .errors import IssuingNotPossible
from .status_lists import status_list_refresh

logger = logging.getLogger(__name__)


def _expiry(version: BadgeVersion, issued_at: datetime) -> datetime | None:
    months = version.validity_months
    if not months:
        return None
    year, month = divmod(issued_at.month - 1 + months, 12)
    year += issued_at.year
    day = min(issued_at.day, 28)
    return issued_at.replace(year=year, month=month + 1, day=day)


# Random draws before falling back to choosing among the free indexes (a nearly full list).
_RANDOM_DRAWS = 64


def _allocate_status_index(issuer: Issuer) -> int:
    """A free index of the issuer's status list, drawn uniformly at random: sequential
    indexes would let anyone who sees two credentials tell when they were issued relative
    to each other, which defeats the herd privacy of the Bitstring Status List. Runs under
    the status list's row lock; the (issuer, status_index) constraint backs uniqueness."""
    StatusList.objects.get_or_create(issuer=issuer)
    status_list = StatusList.objects.select_for_update().get(issuer=issuer)
    if status_list.next_index >= status_list.size:
        raise IssuingNotPossible(_("The issuer's status list is full."))
    taken = Credential.objects.filter(issuer=issuer, status_index__isnull=False)
    index = None
    for _draw in range(_RANDOM_DRAWS):
        candidate = secrets.randbelow(status_list.size)
        if not taken.filter(status_index=candidate).exists():
            index = candidate
            break
    if index is None:
        used = set(taken.values_list("status_index", flat=True))
        free = [i for i in range(status_list.size) if i not in used]
        if not free:
            raise IssuingNotPossible(_("The issuer's status list is full."))
        index = secrets.choice(free)
    status_list.next_index += 1
    status_list.save(update_fields=["next_index", "updated_at"])
    if not status_list.signed_credential:
        status_list_refresh(issuer=issuer)  # first credential: publish the (empty) list
    return index


def _sign_and_bake(
    credential: Credential, document: dict, keys: dict, *, created: datetime
) -> None:
    """Sign the unsigned OB 3.0 `document` (Data Integrity proof and VC-JWT) and bake the
    four badge images; stores the results on `credential` (not saved)."""
    di_key, jwt_key = keys[KeyAlgorithm.ED25519], keys[KeyAlgorithm.RS256]
    signed = signing.di_sign(
        document,
        private_key=ed25519_private(di_key),
        verification_method=verification_method(di_key),
        created=iso(created),
    )
    token = signing.jwt_sign(
        jwt_claims(document),
        private_jwk=rs256_private_jwk(jwt_key),
        kid=issuer_key_url(jwt_key.issuer, jwt_key.key_id),
    )
    credential.ob3_credential = signed
    credential.ob3_jwt = token
    credential.di_key = di_key
    credential.jwt_key = jwt_key

    png, svg = baking.badge_images(credential.badge_version)
    signed_json = json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
    assertion_url = credential_urls(credential)["ob2_assertion_url"]
    stem = credential.public_id.hex
    files = {
        "baked_png": (
            f"{stem}.png",
            baking.bake_png(png, keyword=baking.OB3_KEYWORD, text=signed_json),
        ),
        "baked_svg": (f"{stem}.svg", baking.bake_svg_ob3(svg, credential_json=signed_json)),
        "baked_ob2_png": (
            f"{stem}-ob2.png",
            baking.bake_png(png, keyword=baking.OB2_KEYWORD, text=assertion_url),
        ),
        "baked_ob2_svg": (f"{stem}-ob2.svg", baking.bake_svg_ob2(svg, assertion_url=assertion_url)),
    }
    for field_name, (name, data) in files.items():
        getattr(credential, field_name).save(name, ContentFile(data), save=False)


def _issue(
    *,
    recipient,
    version: BadgeVersion,
    application: Application | None,
    components: list[Credential],
    issued_at: datetime,
    actor=None,
) -> Credential:
    """Create, sign and bake one credential. Runs inside the caller's transaction."""
    issuer = issuer_for(version)
    if issuer is None:
        raise IssuingNotPossible(_("No issuer is configured for this badge's constellation."))
    keys = _signing_keys(issuer)
    credential = Credential(
        recipient=recipient,
        badge_version=version,
        application=application,
        issuer=issuer,
        issued_at=issued_at,
        expires_at=_expiry(version, issued_at),
        salt=secrets.token_hex(8),
        recipient_name=recipient.display_name,
        language=recipient.preferred_language or "en",
        status_index=_allocate_status_index(issuer),
    )
    with transaction.atomic():  # a savepoint: a lost race rolls back only this
        credential.save()
    if components:
        credential.components.set(components)
    ctx = IssueContext(
        credential=credential,
        issuer=issuer,
        badge_version=version,
        recipient_email=recipient.email,
        criteria=criterion_results(version, application),
        evidence=public_evidence(application) if application else [],
        components=components,
    )
    _sign_and_bake(credential, build_credential(ctx), keys, created=issued_at)
    credential.save()
    audit_record(
        actor=actor,
        action="credential.issued",
        obj=credential,
        data={
            "public_id": str(credential.public_id),
            "badge_version": version.pk,
            "application": application.pk if application else None,
            "components": [c.pk for c in components],
        },
    )
    credential_id, recipient_id = credential.pk, recipient.pk
    enqueue_on_commit(tasks.render_credential_pdfs, credential_id)
    enqueue_on_commit(tasks.check_credential_rules, recipient_id)
    return credential


def _signing_keys(issuer: Issuer) -> dict:
    keys = active_keys(issuer)
    if any(algorithm not in keys for algorithm in SIGNING_ALGORITHMS):
        raise IssuingNotPossible(
            _("The issuer has no signing keys; run “manage.py issuer_keys --create”.")
        )
    return keys


def credential_issue_for_application(*, application_id: int, actor=None) -> Credential | None:
    """The credential of an approved application, issuing it if needed (idempotent).

    Returns None when the application is not approved. Raises IssuingNotPossible when no
    issuer or keys exist (the application is left for `issue_pending_credentials`).
    """
    existing = Credential.objects.filter(application_id=application_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            application = (
                Application.objects.select_for_update()
                .select_related("learner", "badge_version__badge")
                .filter(pk=application_id)
                .first()
            )
            if application is None or application.state != ApplicationState.APPROVED:
                return None
            existing = Credential.objects.filter(application=application).first()
            if existing is not None:
                return existing
            return _issue(
                recipient=application.learner,
                version=application.badge_version,
                application=application,
                components=[],
                issued_at=application.decided_at or timezone.now(),
                actor=actor,
            )
    except IntegrityError:
        # Another worker issued it between our check and our insert.
        existing = Credential.objects.filter(application_id=application_id).first()
        if existing is None:
            raise
        return existing
    except IssuingNotPossible as error:
        logger.error("Credential for application %s not issued: %s", application_id, error.message)
        raise


def issue_pending_credentials() -> dict[str, int]:
    """Issue every missing credential of approved applications; the periodic retry."""
    pending = Application.objects.filter(
        state=ApplicationState.APPROVED, credential__isnull=True
    ).values_list("pk", flat=True)
    issued = failed = 0
    for application_id in list(pending):
        try:
            if credential_issue_for_application(application_id=application_id):
                issued += 1
        except IssuingNotPossible:
            failed += 1
    return {"issued": issued, "failed": failed}
