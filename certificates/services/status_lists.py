"""The issuer's Bitstring Status List credential, signed again whenever it changes."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Credential, Issuer, KeyAlgorithm, StatusList
from ..openbadges import signing
from ..openbadges.keys import active_keys, ed25519_private, verification_method
from ..openbadges.ob3 import iso
from ..openbadges.status_list import build_status_list
from .errors import IssuingNotPossible


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
