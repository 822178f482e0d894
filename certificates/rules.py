"""Who may do what with credentials and issuers (django-rules).

Public (no login): the verification page, the OB 2.0/3.0 JSON documents, issuer profiles,
status and revocation lists. Restricted: the certificate and report PDFs and the baked
badges (the recipient, coordinators of the badge's constellation, auditors); revocation
(coordinators of the constellation); issuer profiles (their owners: coordinators, as a
constellation has its coordinators). Attaching a constellation to an issuer needs both: the
issuer's owner who coordinates the constellation. Which issuers a person reaches at all is
`selectors.issuers_visible_to` (outside: 404).
"""

import rules

from core.rules import forget_ids_cached_on_user, ids_cached_on_user, is_auditor, is_coordinator
from frameworks.rules import coordinated_constellation_ids

from .models import Issuer


def _constellation_id(credential) -> int | None:
    return credential.badge_version.badge.constellation_id if credential else None


@rules.predicate
def is_recipient(user, credential) -> bool:
    return credential is not None and user.is_authenticated and credential.recipient_id == user.pk


@rules.predicate
def coordinates_credential(user, credential) -> bool:
    if credential is None or not user.is_authenticated or not user.has_role("coordinator"):
        return False
    return _constellation_id(credential) in coordinated_constellation_ids(user)


rules.add_perm(
    "certificates.download_credential", is_recipient | coordinates_credential | is_auditor
)
rules.add_perm("certificates.view_report", is_recipient | coordinates_credential | is_auditor)
rules.add_perm("certificates.revoke_credential", coordinates_credential)
rules.add_perm("certificates.set_credential_visibility", is_recipient)


def owned_issuer_ids(user) -> frozenset[int]:
    """Ids of the issuers `user` owns; one query, cached on the user object."""
    return ids_cached_on_user(
        user, "_owned_issuer_ids", lambda u: u.owned_issuers.values_list("id", flat=True)
    )


def forget_owned_issuers(user) -> None:
    forget_ids_cached_on_user(user, "_owned_issuer_ids")


@rules.predicate
def owns_issuer(user, issuer) -> bool:
    return issuer is not None and issuer.pk in owned_issuer_ids(user)


@rules.predicate
def owns_the_default_issuer(user, issuer) -> bool:
    """Making an issuer the default (or not) changes who issues for every constellation
    that names none: only the owner of the current default may do it (anyone, while there
    is no default)."""
    current = Issuer.objects.filter(is_default=True).values_list("pk", flat=True).first()
    return current is None or current in owned_issuer_ids(user)


rules.add_perm("certificates.view_issuers", is_coordinator | is_auditor)
rules.add_perm("certificates.add_issuer", is_coordinator)
# Always with the issuer: without one, Django's model permission would answer alone.
rules.add_perm("certificates.change_issuer", is_coordinator & owns_issuer)
rules.add_perm("certificates.set_default_issuer", is_coordinator & owns_the_default_issuer)
