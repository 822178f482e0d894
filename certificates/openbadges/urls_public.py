"""Absolute public URLs (under SITE_URL) of issuers, credentials and their documents.

Identifiers inside signed credentials are built here, so they never depend on the request.
"""

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def issuer_url(issuer) -> str:
    return absolute(reverse("certificates:issuer_profile", args=[issuer.public_id]))


def issuer_ob2_url(issuer) -> str:
    return absolute(reverse("certificates:ob2_issuer", args=[issuer.public_id]))


def issuer_key_url(issuer, key_id: str) -> str:
    """Where one public JWK of the issuer is published (the VC-JWT header's `kid`)."""
    return absolute(reverse("certificates:issuer_key", args=[issuer.public_id, key_id]))


def revocation_list_url(issuer) -> str:
    return absolute(reverse("certificates:ob2_revocation_list", args=[issuer.public_id]))


def status_list_url(issuer) -> str:
    return absolute(reverse("certificates:status_list", args=[issuer.public_id]))


def badge_class_url(issuer, badge_version) -> str:
    return absolute(
        reverse("certificates:ob2_badge_class", args=[issuer.public_id, badge_version.pk])
    )


def achievement_url(issuer, badge_version) -> str:
    return absolute(
        reverse("certificates:ob3_achievement", args=[issuer.public_id, badge_version.pk])
    )


def badge_image_url(badge_version) -> str:
    return absolute(reverse("certificates:badge_image", args=[badge_version.pk]))


def credential_urls(credential) -> dict[str, str]:
    key = credential.public_id
    names = {
        "verification_url": "certificates:verify",
        "ob2_assertion_url": "certificates:ob2_assertion",
        "ob3_credential_url": "certificates:ob3_credential",
        "ob3_jwt_url": "certificates:ob3_jwt",
        "baked_png_url": "certificates:baked_png",
        "baked_svg_url": "certificates:baked_svg",
        "baked_ob2_png_url": "certificates:baked_ob2_png",
        "baked_ob2_svg_url": "certificates:baked_ob2_svg",
        "certificate_pdf_url": "certificates:certificate_pdf",
        "report_pdf_url": "certificates:report_pdf",
    }
    return {field: absolute(reverse(name, args=[key])) for field, name in names.items()}
