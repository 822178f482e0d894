"""Signing again the credentials an earlier version issued, in the current format."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record

from .. import tasks
from ..models import Credential
from ..openbadges import signing
from .errors import IssuingNotPossible
from .issuing import _sign_and_bake, _signing_keys

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
