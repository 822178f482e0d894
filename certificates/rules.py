"""Who may do what with credentials and issuers (django-rules).

Public (no login): the verification page, the OB 2.0/3.0 JSON documents, issuer profiles,
status and revocation lists. Restricted: the certificate and report PDFs and the baked
badges (the recipient, coordinators of the badge's constellation, auditors); revocation
(coordinators of the constellation); issuer profiles and keys (coordinators).
"""

import rules

from core.rules import is_auditor, is_coordinator
from frameworks.rules import coordinated_constellation_ids


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
rules.add_perm("certificates.manage_issuers", is_coordinator)
rules.add_perm("certificates.view_issuers", is_coordinator | is_auditor)
