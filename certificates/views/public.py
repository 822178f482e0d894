"""Public pages and documents, for anyone (no login): the verification page and the
paste-to-verify form, the Open Badges 2.0 and 3.0 documents, issuer profiles, keys, the JWKS,
the status list, badge images and competences.

Public documents cost a constant number of queries: the credential with its issuer and
badge (one query) and, where signatures are re-checked, the issuer's keys (one more).
GET handlers only read: what they serve was signed when it was written.
"""

import json
import re
import uuid
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.svg import SVG_HEADERS
from frameworks.images import badge_image_bytes
from frameworks.models import BadgeStatus, BadgeVersion, Competence

from .. import selectors
from ..forms import RevokeForm, VerifyForm
from ..models import Credential, StatusList
from ..openbadges import ob2, signing
from ..openbadges.keys import JWT_ALGORITHMS, published_jwk, published_jwks
from ..openbadges.ob3 import IssueContext, build_achievement, build_issuer_document
from ..openbadges.urls_public import credential_urls
from ..openbadges.verification import check_credential, ed25519_resolver, parse_submitted

JSON_LD = "application/ld+json"


def _json(document, *, status=200, content_type=JSON_LD) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type=f"{content_type}; charset=utf-8",
        status=status,
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _wants_html(request) -> bool:
    """Content negotiation: browsers (text/html before any JSON type) get the page."""
    accept = request.headers.get("Accept", "")
    if not accept:
        return False
    html = accept.find("text/html")
    json_positions = [
        p for p in (accept.find("application/ld+json"), accept.find("application/json")) if p >= 0
    ]
    return html >= 0 and (not json_positions or html < min(json_positions))


# --- public verification -------------------------------------------------------------------


@require_GET
def verify(request, public_id):
    credential = selectors.credential_public(public_id)
    keys = selectors.published_keys_of(credential.issuer_id)
    check = check_credential(credential, keys)
    document = credential.ob3_credential
    achievement = document["credentialSubject"]["achievement"]
    urls = credential_urls(credential)
    can_download = request.user.has_perm("certificates.download_credential", credential)
    # Sharing (LinkedIn's "add to profile") is offered for a valid credential only.
    linkedin = None
    if credential.is_valid:
        linkedin = "https://www.linkedin.com/profile/add?" + urlencode(
            {
                "startTask": "CERTIFICATION_NAME",
                "name": credential.badge_version.title,
                "organizationName": credential.issuer.name,
                "issueYear": credential.issued_at.year,
                "issueMonth": credential.issued_at.month,
                "certUrl": urls["verification_url"],
                "certId": str(credential.public_id),
            }
        )
    competences = [
        a for a in achievement.get("alignment", []) if a.get("targetType") == "ext:Competence"
    ]
    eu = [a for a in achievement.get("alignment", []) if a.get("targetType") != "ext:Competence"]
    context = {
        "credential": credential,
        "document": document,
        "achievement": achievement,
        "competences": competences,
        "eu_alignments": eu,
        "result_descriptions": achievement.get("resultDescription", []),
        "evidence": [
            e
            for e in document.get("evidence", [])
            if "Component credential" not in e.get("description", "")
        ],
        "components": [
            e
            for e in document.get("evidence", [])
            if "Component credential" in e.get("description", "")
        ],
        "issuer_profile": document["issuer"],
        "check": check,
        "urls": urls,
        "can_download": can_download,
        "can_revoke": request.user.has_perm("certificates.revoke_credential", credential),
        "is_recipient": request.user.is_authenticated
        and request.user.pk == credential.recipient_id,
        "linkedin_url": linkedin,
        "revoke_form": RevokeForm(),
    }
    return render(request, "certificates/verify.html", context)


@require_http_methods(["GET", "POST"])
def verify_upload(request):
    """Anyone may paste a credential (signed JSON or VC-JWT) to check it against our keys."""
    form = VerifyForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = _check_submitted(form.cleaned_data["credential"])
        if result is None or not result["ok"]:
            status = 400 if result is None else 422
    return render(
        request, "certificates/verify_upload.html", {"form": form, "result": result}, status=status
    )


def _unsecured(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "proof"}


_CREDENTIAL_ID = re.compile(r"/ob3/credentials/([0-9a-fA-F-]{36})\.json$")


def _check_submitted(text: str) -> dict | None:
    try:
        kind, value = parse_submitted(text)
    except (ValueError, json.JSONDecodeError):
        return None
    if kind == "jwt":
        try:
            payload = signing.jwt_part(value, 1)
        except signing.SigningError:
            return None
        document_id = payload.get("id") or payload.get("jti") or ""
    else:
        payload = value
        document_id = value.get("id", "")
    match = _CREDENTIAL_ID.search(document_id) if isinstance(document_id, str) else None
    credential = None
    if match:
        try:
            credential = (
                Credential.objects.select_related("issuer", "badge_version__badge")
                .filter(public_id=uuid.UUID(match.group(1)))
                .first()
            )
        except ValueError:
            credential = None
    if credential is None or credential.issuer is None:
        return {
            "ok": False,
            "reason": _("This credential was not issued here."),
            "credential": None,
        }
    keys = selectors.published_keys_of(credential.issuer.pk)
    if kind == "jwt":
        claims = signing.jwt_verify(value, public_jwks=published_jwks(keys))
        signature_ok = claims is not None and claims.get("id") == credential.ob3_credential.get(
            "id"
        )
    else:
        # What reads as verified is exactly what was issued: a claim the contexts do not
        # define is dropped by JSON-LD expansion, so the proof alone would not catch it. The
        # cheap comparison first: a foreign document is never canonicalised.
        signature_ok = _unsecured(payload) == _unsecured(
            credential.ob3_credential
        ) and signing.di_verify(payload, resolve_key=ed25519_resolver(credential.issuer, keys))
    if not signature_ok:
        return {
            "ok": False,
            "reason": _(
                "The signature does not match: the credential was altered or not issued here."
            ),
            "credential": None,
        }
    return {
        "ok": credential.is_valid,
        "reason": "",
        "credential": credential,
        "status": credential.status,
    }


# --- OB 2.0 hosted documents ---------------------------------------------------------------


@require_GET
def ob2_assertion(request, public_id):
    credential = selectors.credential_public(public_id)
    if _wants_html(request):
        return redirect("certificates:verify", public_id=credential.public_id)
    if credential.is_revoked:
        return _json(ob2.revoked_assertion(credential), status=410)
    identity = credential.ob3_credential["credentialSubject"]["identifier"][0]["identityHash"]
    return _json(ob2.assertion(credential, recipient_hash=identity))


@require_GET
def ob2_badge_class(request, issuer_id, version_id):
    issuer = selectors.issuer_public(issuer_id)
    version = selectors.badge_version_hosted_by(issuer, version_id)
    achievement = _achievement(issuer, version, rubrics=False)
    return _json(
        ob2.badge_class(
            issuer, version, achievement=achievement, alignments=achievement["alignment"]
        )
    )


def _achievement(issuer, version, *, rubrics: bool = True) -> dict:
    class _Language:
        language = version.languages[0] if version.languages else "en"

    ctx = IssueContext(
        # No credential yet: a stand-in with the one attribute the achievement reads.
        credential=_Language(),  # type: ignore[arg-type]
        issuer=issuer,
        badge_version=version,
        recipient_email="",
        criteria=selectors.criterion_results(version, None, rubrics=rubrics),
    )
    return build_achievement(ctx)


@require_GET
def ob3_achievement(request, issuer_id, version_id):
    issuer = selectors.issuer_public(issuer_id)
    version = selectors.badge_version_hosted_by(issuer, version_id)
    return _json(
        {
            "@context": [signing.VC_V2_CONTEXT, signing.OB_V3_CONTEXT],
            **_achievement(issuer, version),
        }
    )


@require_GET
def ob2_issuer(request, issuer_id):
    return _json(ob2.issuer_profile(selectors.issuer_public(issuer_id)))


@require_GET
def ob2_revocation_list(request, issuer_id):
    issuer = selectors.issuer_public(issuer_id)
    revoked = (
        Credential.objects.filter(issuer=issuer, revoked_at__isnull=False)
        .only("public_id", "revocation_reason")
        .order_by("revoked_at", "id")
    )
    return _json(ob2.revocation_list(issuer, revoked))


# --- OB 3.0 documents ----------------------------------------------------------------------


@require_GET
def ob3_credential(request, public_id):
    credential = selectors.credential_public(public_id)
    if _wants_html(request):
        return redirect("certificates:verify", public_id=credential.public_id)
    return _json(credential.ob3_credential, content_type="application/vc+ld+json")


@require_GET
def ob3_jwt(request, public_id):
    credential = selectors.credential_public(public_id)
    response = HttpResponse(credential.ob3_jwt, content_type="application/vc+jwt")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def issuer_profile(request, issuer_id):
    """The issuer as an OB 3.0 Profile that is also the controller document of its Data
    Integrity keys (Multikey verification methods, `assertionMethod`). Retired keys stay
    listed. VC-JWT keys are published at their own URLs (`issuer_key`) and in the JWKS."""
    issuer = selectors.issuer_public(issuer_id)
    keys = selectors.published_keys_of(issuer.pk)
    return _json(build_issuer_document(issuer, keys))


@require_GET
def issuer_jwks(request, issuer_id):
    issuer = selectors.issuer_public(issuer_id)
    keys = selectors.published_keys_of(issuer.pk)
    return _json({"keys": published_jwks(keys)}, content_type="application/jwk-set+json")


@require_GET
def issuer_key(request, issuer_id, key_id):
    """One public VC-JWT key as a JWK: what the `kid` of an RS256 VC-JWT dereferences to."""
    issuer = selectors.issuer_public(issuer_id)
    for key in selectors.published_keys_of(issuer.pk):
        if key.key_id == key_id and key.algorithm in JWT_ALGORITHMS:
            return _json(published_jwk(key), content_type="application/jwk+json")
    raise Http404


@require_GET
def status_list(request, issuer_id):
    """The issuer's signed Bitstring Status List credential, as stored."""
    issuer = selectors.issuer_public(issuer_id)
    current = StatusList.objects.filter(issuer=issuer).first()
    if current is None or not current.signed_credential:
        raise Http404  # signed when the issuer got its keys: an issuer without keys has none
    return _json(current.signed_credential, content_type="application/vc+ld+json")


@require_GET
def badge_image(request, version_id):
    version = (
        BadgeVersion.objects.select_related("badge")
        .filter(pk=version_id, status__in=[BadgeStatus.PUBLISHED, BadgeStatus.RETIRED])
        .first()
    )
    if version is None:
        raise Http404
    data, mime = badge_image_bytes(version)
    # The same sandbox for PNG and SVG: a user-supplied image never runs or fetches anything.
    response = HttpResponse(data, content_type=mime, headers=SVG_HEADERS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def competence(request, competence_id):
    item = Competence.objects.select_related("framework", "area").filter(pk=competence_id).first()
    if item is None:
        raise Http404
    return _json(
        {
            "id": request.build_absolute_uri(),
            "framework": item.framework.name,
            "frameworkVersion": item.framework.version,
            "source": item.framework.source,
            "area": f"{item.area.code} {item.area.name}",
            "code": item.code,
            "name": item.name,
            "description": item.description,
        },
        content_type="application/json",
    )
