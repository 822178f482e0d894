"""Issuing, revocation and issuer management: every write of the certificates app.

Issuing is idempotent and safe to re-run: `credential_issue_for_application` returns the
existing credential if there is one; the OneToOne `application` column (and the partial
unique constraint for milestone/meta credentials) make a second credential impossible even
when two workers race. Failures leave the application approved without a credential, and
`manage.py issue_pending_credentials` (run periodically) issues them later.

Longer than a room usually is (about 570 lines), on purpose for now: issuing, re-signing,
the milestone/meta rules, revocation and the issuers' keys are one pipeline that shares its
private steps (`_issue`, `_sign_and_bake`, `_signing_keys`, `_valid_credentials_by_badge`,
`status_list_refresh`), and the approval's receiver reaches issuing through this module.
The sections below are the seams along which it becomes a `services/` folder (issuing,
rules, revocation, issuers) when it grows further.
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
from core.errors import DomainError, PermissionDeniedError, WorkflowError
from core.workflow import enqueue_on_commit
from frameworks.models import BadgeKind, BadgeStatus, BadgeVersion

from . import tasks
from .models import SIGNING_ALGORITHMS, Credential, Issuer, IssuerKey, KeyAlgorithm, StatusList
from .openbadges import baking, signing
from .openbadges.keys import (
    active_keys,
    ed25519_private,
    new_key,
    rs256_private_jwk,
    verification_method,
)
from .openbadges.ob3 import (
    IssueContext,
    build_credential,
    iso,
    jwt_claims,
)
from .openbadges.status_list import build_status_list
from .openbadges.urls_public import credential_urls, issuer_key_url
from .selectors import criterion_results, issuer_for, public_evidence

logger = logging.getLogger(__name__)


class IssuingNotPossible(DomainError):
    default_message = _("The credential cannot be issued yet.")


# --- issuing -------------------------------------------------------------------------------


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


# --- re-signing the documents of earlier versions ------------------------------------------

# The stored files that embed or attach the signed credential.
SIGNED_FILES = ("baked_png", "baked_svg", "baked_ob2_png", "baked_ob2_svg", "certificate_pdf")


def resign_reasons(credential: Credential) -> list[str]:
    """Why the credential's signed documents differ from what this version issues (empty:
    current): the credential's contexts, the VC-JWT's algorithm, a `kid` that is not a URL,
    a `sub` that is not the credential subject's id."""
    document = credential.ob3_credential or {}
    reasons = []
    if document.get("@context") != signing.CREDENTIAL_CONTEXTS:
        reasons.append("contexts")
    try:
        header = signing.jwt_part(credential.ob3_jwt, 0)
        claims = signing.jwt_part(credential.ob3_jwt, 1)
    except signing.SigningError:
        return [*reasons, "jwt"]
    if header.get("alg") != signing.JWT_ALGORITHM:
        reasons.append("jwt-algorithm")
    if not str(header.get("kid", "")).startswith(("https://", "http://")):
        reasons.append("jwt-kid")
    subject = document.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    if claims.get("sub") != subject_id:
        reasons.append("jwt-sub")
    return reasons


def credential_resign(*, credential_id: int, actor=None, force: bool = False) -> list[str]:
    """Sign a credential again in the current format: same id and claims, the current
    contexts, a new Data Integrity proof and an RS256 VC-JWT with the active keys, baked
    images again and the certificate (which attaches the signed JSON) rendered again.
    Returns the reasons (empty: it was current and nothing was done)."""
    with transaction.atomic():
        credential = (
            Credential.objects.select_for_update(of=("self",))
            .select_related("issuer", "badge_version__badge")
            .get(pk=credential_id)
        )
        reasons = resign_reasons(credential) or (["requested"] if force else [])
        if not reasons:
            return []
        if credential.issuer is None or not credential.ob3_credential:
            raise IssuingNotPossible(_("This credential has no signed documents to renew."))
        keys = _signing_keys(credential.issuer)
        document = {k: v for k, v in credential.ob3_credential.items() if k != "proof"}
        document["@context"] = list(signing.CREDENTIAL_CONTEXTS)
        replaced = [getattr(credential, name).name for name in SIGNED_FILES]
        _sign_and_bake(credential, document, keys, created=timezone.now())
        credential.certificate_pdf = ""
        credential.save()
        # Both set by _sign_and_bake just above.
        assert credential.di_key is not None and credential.jwt_key is not None
        audit_record(
            actor=actor,
            action="credential.resigned",
            obj=credential,
            data={
                "public_id": str(credential.public_id),
                "reasons": reasons,
                "di_key": credential.di_key.key_id,
                "jwt_key": credential.jwt_key.key_id,
            },
        )
    storage = credential.baked_png.storage
    transaction.on_commit(lambda: _after_resign(credential.pk, storage, replaced))
    return reasons


def _after_resign(credential_id: int, storage, replaced: list[str]) -> None:
    for name in replaced:
        if name:
            storage.delete(name)
    tasks.render_credential_pdfs.enqueue(credential_id)


# --- milestones and the meta badge ---------------------------------------------------------


def _valid_credentials_by_badge(recipient) -> dict[int, list[Credential]]:
    now = timezone.now()
    by_badge: dict[int, list[Credential]] = {}
    credentials = (
        Credential.objects.filter(recipient=recipient, revoked_at__isnull=True)
        .exclude(expires_at__lte=now)
        .select_related("badge_version__badge")
        .order_by("-issued_at", "-id")
    )
    for credential in credentials:
        by_badge.setdefault(credential.badge_version.badge_id, []).append(credential)
    return by_badge


def _rule_versions():
    return (
        BadgeVersion.objects.filter(
            status=BadgeStatus.PUBLISHED,
            badge__kind__in=[BadgeKind.MILESTONE, BadgeKind.META],
            required_count__gt=0,
        )
        .select_related("badge__constellation")
        .prefetch_related("required_badges")
        .order_by("badge__kind", "pk")
    )


def rule_progress(version: BadgeVersion, by_badge: dict[int, list[Credential]]) -> tuple[list, int]:
    """(the required badges that are met, how many more are needed)."""
    required = [badge.pk for badge in version.required_badges.all()]
    met = [badge_id for badge_id in required if badge_id in by_badge]
    return met, max(0, (version.required_count or 0) - len(met))


def credentials_check_rules(*, recipient) -> list[Credential]:
    """Issue every milestone/meta credential whose N-of-M rule the recipient's valid
    credentials now satisfy, once; repeats until nothing changes (meta after milestones)."""
    issued: list[Credential] = []
    versions = list(_rule_versions())
    while True:
        by_badge = _valid_credentials_by_badge(recipient)
        progressed = False
        for version in versions:
            if version.badge_id in by_badge:
                continue
            met, missing = rule_progress(version, by_badge)
            if missing:
                continue
            components = [by_badge[badge_id][0] for badge_id in met]
            try:
                with transaction.atomic():
                    credential = _issue(
                        recipient=recipient,
                        version=version,
                        application=None,
                        components=components,
                        issued_at=timezone.now(),
                    )
            except IntegrityError:
                continue  # issued concurrently
            except IssuingNotPossible as error:
                logger.error("Rule credential %s not issued: %s", version.pk, error.message)
                continue
            issued.append(credential)
            progressed = True
        if not progressed:
            return issued


# --- revocation ----------------------------------------------------------------------------


def status_list_refresh(*, issuer: Issuer) -> StatusList:
    """Re-sign the issuer's Bitstring Status List from the revoked credentials."""
    status_list, _created = StatusList.objects.get_or_create(issuer=issuer)
    keys = active_keys(issuer)
    key = keys.get(KeyAlgorithm.ED25519)
    if key is None:
        raise IssuingNotPossible(_("The issuer has no signing keys."))
    revoked = Credential.objects.filter(
        issuer=issuer, revoked_at__isnull=False, status_index__isnull=False
    ).values_list("status_index", flat=True)
    now = timezone.now()
    document = build_status_list(
        issuer, revoked_indices=list(revoked), size=status_list.size, now=now
    )
    status_list.signed_credential = signing.di_sign(
        document,
        private_key=ed25519_private(key),
        verification_method=verification_method(key),
        created=iso(now),
    )
    status_list.save(update_fields=["signed_credential", "updated_at"])
    return status_list


def credential_revoke(*, actor, credential: Credential, reason: str) -> list[Credential]:
    """Revoke with a reason; then re-check the milestone/meta credentials that used it.

    Policy: a milestone (or meta) credential stays valid while the holder's remaining valid
    credentials still satisfy its rule; otherwise it is revoked too, with a reason naming
    the component. Returns every credential revoked (this one first).
    """
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("A reason is required to revoke a credential."))
    revoked: list[Credential] = []
    with transaction.atomic():
        locked = Credential.objects.select_for_update().get(pk=credential.pk)
        if locked.revoked_at is not None:
            raise WorkflowError(_("This credential is already revoked."))
        _revoke_one(locked, actor=actor, reason=reason, revoked=revoked)
        for issuer in {c.issuer for c in revoked if c.issuer is not None}:
            status_list_refresh(issuer=issuer)
    credential.refresh_from_db()
    return revoked


def _revoke_one(credential: Credential, *, actor, reason: str, revoked: list) -> None:
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason[:2000]
    credential.revoked_by = actor if getattr(actor, "pk", None) else None
    credential.save(update_fields=["revoked_at", "revocation_reason", "revoked_by"])
    audit_record(actor=actor, action="credential.revoked", obj=credential, comment=reason)
    revoked.append(credential)
    dependants = list(
        credential.used_by.filter(revoked_at__isnull=True).select_related("badge_version", "issuer")
    )
    if not dependants:
        return
    by_badge = _valid_credentials_by_badge(credential.recipient)
    for dependant in dependants:
        version = BadgeVersion.objects.prefetch_related("required_badges").get(
            pk=dependant.badge_version_id
        )
        _met, missing = rule_progress(version, by_badge)
        if missing:
            _revoke_one(
                dependant,
                actor=actor,
                reason=str(
                    _("A component credential it required was revoked (%(badge)s): %(reason)s")
                    % {"badge": credential.badge_version.title, "reason": reason}
                ),
                revoked=revoked,
            )
            by_badge = _valid_credentials_by_badge(credential.recipient)


def credential_set_show_name(*, actor, credential: Credential, show: bool) -> None:
    if actor.pk != credential.recipient_id:
        raise PermissionDeniedError()
    with transaction.atomic():
        credential.show_name = bool(show)
        credential.save(update_fields=["show_name"])
        audit_record(
            actor=actor,
            action="credential.show_name",
            obj=credential,
            data={"show_name": bool(show)},
        )


# --- issuers and their keys -------------------------------------------------------------------------------


def issuer_save(*, actor, issuer: Issuer, constellations=None) -> Issuer:
    with transaction.atomic():
        created = issuer.pk is None
        if issuer.is_default:
            Issuer.objects.filter(is_default=True).exclude(pk=issuer.pk).update(is_default=False)
        issuer.country_code = issuer.country_code.upper()
        issuer.save()
        if constellations is not None:
            issuer.constellations.set(constellations)
        audit_record(
            actor=actor, action="issuer.created" if created else "issuer.updated", obj=issuer
        )
    return issuer


def _key_retire(key: IssuerKey, *, actor, now) -> None:
    key.active = False
    key.retired_at = now
    key.save(update_fields=["active", "retired_at"])
    audit_record(actor=actor, action="issuer_key.retired", obj=key, data={"key_id": key.key_id})


def issuer_keys_create(*, issuer: Issuer, actor=None) -> list[IssuerKey]:
    """Create the missing active signing keys of `issuer` (idempotent); retire an active key
    of an algorithm no longer used for signing (it stays published). An issuer with keys
    has a signed (empty, at first) status list, so that its public URL answers at once."""
    created = []
    with transaction.atomic():
        now = timezone.now()
        for key in (
            issuer.keys.select_for_update()
            .filter(active=True)
            .exclude(algorithm__in=SIGNING_ALGORITHMS)
        ):
            _key_retire(key, actor=actor, now=now)
        for algorithm in SIGNING_ALGORITHMS:
            if issuer.keys.filter(algorithm=algorithm, active=True).exists():
                continue
            key = new_key(issuer, algorithm)
            key.save()
            audit_record(
                actor=actor,
                action="issuer_key.created",
                obj=key,
                data={"algorithm": algorithm, "key_id": key.key_id},
            )
            created.append(key)
        if not StatusList.objects.filter(issuer=issuer).exclude(signed_credential={}).exists():
            status_list_refresh(issuer=issuer)
    for key in created:
        logger.info("Created %s key %s for issuer %s", key.algorithm, key.key_id, issuer.pk)
    return created


def issuer_keys_rotate(*, issuer: Issuer, actor=None) -> list[IssuerKey]:
    """Retire the active keys (they stay published) and create new ones."""
    with transaction.atomic():
        now = timezone.now()
        for key in issuer.keys.select_for_update().filter(active=True):
            _key_retire(key, actor=actor, now=now)
        return issuer_keys_create(issuer=issuer, actor=actor)
