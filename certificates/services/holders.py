"""What the holder of a credential decides: whether their name shows on the public page."""

from django.db import transaction

from core.audit import audit_record
from core.errors import PermissionDeniedError

from ..models import Credential


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
