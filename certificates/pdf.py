"""PDFs (WeasyPrint, imported lazily): the certificate and the assessment report.

The certificate is PDF/A-3b, in the learner's language, with every EU micro-credential
element, a QR code to the verification page and the signed OB 3.0 credential embedded as
an attachment (`credential.json`, relationship "Source"). Images are inlined as data: URLs
and the only other resources a PDF may load are our own static files: the URL fetcher
refuses everything else (no network, no arbitrary files). Both, the renderer and its fetcher,
are core.pdf's: one for every PDF of the platform.

A credential that is revoked or expired when its PDFs are rendered gets them with a large
REVOKED / EXPIRED mark and its date on every page (and in the document's title, subject and
keywords). `Credential.pdfs_status` records which status the stored files show: the download
serves a stored file only while that still is the credential's status, and renders a marked
copy in memory otherwise (see `views.holder.download`).
"""

import base64
import functools
import io
import json
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext, pgettext

from core.pdf import render_pdf, url_fetcher
from review.models import Judgement, Review

from .models import Credential, CredentialStatus
from .openbadges import baking
from .openbadges.urls_public import credential_urls
from .selectors import criteria_of

logger = logging.getLogger(__name__)


def qr_png(url: str) -> bytes:
    """The QR code as a small black-and-white PNG (cheaper for WeasyPrint than an SVG path of
    a thousand segments, and just as sharp at its printed size)."""

    import qrcode  # noqa: PLC0415 - qrcode is heavy: loaded only where it is used

    image = qrcode.make(url, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _data_url(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def document_mark(credential: Credential) -> dict | None:
    """The mark of a revoked or expired credential's documents, in the active language:
    a word for the stamp, a sentence with the date and the reason; None while it is valid."""
    status = credential.status
    if status == CredentialStatus.REVOKED:
        assert credential.revoked_at is not None
        date = formats.date_format(credential.revoked_at, "DATE_FORMAT")
        return {
            "status": str(status),
            "word": pgettext("document mark", "REVOKED"),
            "sentence": gettext("Revoked on %(date)s.") % {"date": date},
            "reason": credential.revocation_reason,
            "notice": gettext("This credential is no longer valid."),
        }
    if status == CredentialStatus.EXPIRED:
        assert credential.expires_at is not None
        date = formats.date_format(credential.expires_at, "DATE_FORMAT")
        return {
            "status": str(status),
            "word": pgettext("document mark", "EXPIRED"),
            "sentence": gettext("Expired on %(date)s.") % {"date": date},
            "reason": "",
            "notice": gettext("This credential is no longer valid."),
        }
    return None


def certificate_html(credential: Credential) -> str:
    document = credential.ob3_credential
    achievement = document["credentialSubject"]["achievement"]
    urls = credential_urls(credential)
    png, _svg = baking.badge_images(credential.badge_version)
    alignments = achievement.get("alignment", [])
    with translation.override(credential.language or "en"):
        return render_to_string(
            "certificates/pdf/certificate.html",
            {
                "mark": document_mark(credential),
                "credential": credential,
                "document": document,
                "achievement": achievement,
                "issuer": document["issuer"],
                "outcomes": credential.badge_version.learning_outcome_list,
                "version": credential.badge_version,
                "competences": [a for a in alignments if a.get("targetType") == "ext:Competence"],
                "eu": {
                    a["targetType"]: a
                    for a in alignments
                    if a.get("targetType", "").startswith("ext:")
                    and a["targetType"] != "ext:Competence"
                },
                "urls": urls,
                "qr": _data_url(qr_png(urls["verification_url"]), "image/png"),
                "badge_image": _data_url(png, "image/png"),
                "language": credential.language,
            },
        )


def report_html(credential: Credential) -> str:

    application = credential.application
    assert application is not None  # only a credential of an application has this report
    rounds = list(application.rounds.order_by("number").prefetch_related("evidence"))
    reviews = list(
        Review.objects.filter(round__application=application, is_submitted=True)
        .select_related("assessor", "round")
        .order_by("round__number", "submitted_at", "id")
    )
    judgements: dict[int, list[Judgement]] = {}
    for judgement in Judgement.objects.filter(review__in=reviews).select_related(
        "rubric_level", "criterion"
    ):
        judgements.setdefault(judgement.review_id, []).append(judgement)
    hide = credential.badge_version.hide_assessors
    with translation.override(credential.language or "en"):
        return render_to_string(
            "certificates/pdf/report.html",
            {
                "mark": document_mark(credential),
                "credential": credential,
                "application": application,
                "criteria": criteria_of(credential.badge_version),
                "rounds": [
                    {
                        "round": round_,
                        "reviews": [
                            {
                                "review": r,
                                "assessor": None if hide else r.assessor,
                                "judgements": judgements.get(r.pk, []),
                            }
                            for r in reviews
                            if r.round_id == round_.pk
                        ],
                    }
                    for round_ in rounds
                ],
                "evidence": rounds[-1].evidence.all() if rounds else [],
                "hide_assessors": hide,
            },
        )


def certificate_pdf_bytes(credential: Credential) -> bytes:
    from weasyprint import Attachment  # noqa: PLC0415 - WeasyPrint is heavy: loaded only where it is used

    signed = json.dumps(credential.ob3_credential, ensure_ascii=False, indent=2).encode()
    attachment = Attachment(
        string=signed,
        name="credential.json",
        description="Open Badges 3.0 credential (signed, eddsa-rdfc-2022)",
        relationship="Source",
        url_fetcher=url_fetcher(),  # not WeasyPrint's default (no network, no TLS set-up)
    )
    return render_pdf(certificate_html(credential), pdf_a=True, attachments=[attachment])


def report_pdf_bytes(credential: Credential) -> bytes:
    """The assessment report (credentials of an application only)."""
    return render_pdf(report_html(credential), pdf_a=True)


def credential_pdfs_render(*, credential_id: int) -> None:
    """Render and store the PDFs a credential lacks, or all of them again when the stored
    ones show another status than the credential has now (revoked, expired): idempotent.
    The files they replace are deleted once the new names are committed."""
    credential = (
        Credential.objects.select_related(
            "badge_version__badge", "issuer", "application", "recipient"
        )
        .filter(pk=credential_id)
        .first()
    )
    if credential is None or not credential.ob3_credential:
        return
    status = credential.status
    stale = credential.pdfs_status != status
    stem = credential.public_id.hex
    suffix = "" if status == CredentialStatus.VALID else f"-{status}"
    replaced = []
    changed = []
    if stale or not credential.certificate_pdf:
        replaced.append(credential.certificate_pdf.name)
        credential.certificate_pdf.save(
            f"{stem}-certificate{suffix}.pdf",
            ContentFile(certificate_pdf_bytes(credential)),
            save=False,
        )
        changed.append("certificate_pdf")
    if credential.application_id and (stale or not credential.report_pdf):
        replaced.append(credential.report_pdf.name)
        credential.report_pdf.save(
            f"{stem}-report{suffix}.pdf",
            ContentFile(report_pdf_bytes(credential)),
            save=False,
        )
        changed.append("report_pdf")
    if changed:
        storage = credential.certificate_pdf.storage
        with transaction.atomic():
            Credential.objects.filter(pk=credential.pk).update(
                pdfs_status=status, **{f: getattr(credential, f).name for f in changed}
            )
            for name in filter(None, replaced):
                transaction.on_commit(functools.partial(storage.delete, name))
