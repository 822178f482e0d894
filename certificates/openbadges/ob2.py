"""Open Badges 2.0 hosted documents: Assertion, BadgeClass, Issuer, RevocationList.

Built from the stored, signed OB 3.0 credential where possible (the same facts in both
formats) and from the issuer row, so each endpoint costs one or two queries.
"""

from typing import Any

from . import signing
from .ob3 import iso
from .urls_public import (
    badge_class_url,
    badge_image_url,
    credential_urls,
    issuer_ob2_url,
    revocation_list_url,
)


def assertion(credential, *, recipient_hash: str) -> dict:
    urls = credential_urls(credential)
    document: dict[str, Any] = {
        "@context": signing.OB_V2_CONTEXT,
        "type": "Assertion",
        "id": urls["ob2_assertion_url"],
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": credential.salt,
            "identity": recipient_hash,
        },
        "badge": badge_class_url(credential.issuer, credential.badge_version),
        "verification": {"type": "HostedBadge"},
        "issuedOn": iso(credential.issued_at),
        # The public image of the badge class: a verifier or backpack must be able to fetch
        # it without signing in (the baked download is for the recipient).
        "image": badge_image_url(credential.badge_version),
    }
    if credential.expires_at:
        document["expires"] = iso(credential.expires_at)
    evidence = []
    for item in credential.ob3_credential.get("evidence", []):
        entry = {"type": "Evidence", "name": item.get("name", "")}
        if "id" in item:
            entry["id"] = item["id"]
        if "narrative" in item:
            entry["narrative"] = item["narrative"]
        if "description" in item:
            entry["description"] = item["description"]
        evidence.append(entry)
    if evidence:
        document["evidence"] = evidence
    return document


def revoked_assertion(credential) -> dict:
    return {
        "@context": signing.OB_V2_CONTEXT,
        "id": credential_urls(credential)["ob2_assertion_url"],
        "type": "Assertion",
        "revoked": True,
        "revocationReason": credential.revocation_reason,
    }


def badge_class(issuer, version, *, achievement: dict | None, alignments: list[dict]) -> dict:
    document = {
        "@context": signing.OB_V2_CONTEXT,
        "type": "BadgeClass",
        "id": badge_class_url(issuer, version),
        "name": version.title,
        "description": version.description,
        "image": badge_image_url(version),
        "criteria": {"narrative": (achievement or {}).get("criteria", {}).get("narrative", "")},
        "issuer": issuer_ob2_url(issuer),
        "tags": [version.badge.slug],
    }
    if alignments:
        document["alignment"] = [
            {
                "targetName": a["targetName"],
                "targetUrl": a["targetUrl"],
                **(
                    {"targetDescription": a["targetDescription"]}
                    if "targetDescription" in a
                    else {}
                ),
                **({"targetFramework": a["targetFramework"]} if "targetFramework" in a else {}),
                **({"targetCode": a["targetCode"]} if "targetCode" in a else {}),
            }
            for a in alignments
        ]
    return document


def issuer_profile(issuer) -> dict:
    document = {
        "@context": signing.OB_V2_CONTEXT,
        "type": "Issuer",
        "id": issuer_ob2_url(issuer),
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "revocationList": revocation_list_url(issuer),
    }
    if issuer.description:
        document["description"] = issuer.description
    return document


def revocation_list(issuer, revoked) -> dict:
    return {
        "@context": signing.OB_V2_CONTEXT,
        "id": revocation_list_url(issuer),
        "type": "RevocationList",
        "issuer": issuer_ob2_url(issuer),
        "revokedAssertions": [
            {"id": credential_urls(c)["ob2_assertion_url"], "revocationReason": c.revocation_reason}
            for c in revoked
        ],
    }
