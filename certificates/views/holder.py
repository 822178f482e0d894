"""The holder's pages: the portfolio with the progress map, the restricted downloads (baked
badges, certificate, assessment report) and the choice whether their name shows.

Downloads decide at serving time what a revoked or expired credential gets (expiry has no
event): its PDFs always carry the REVOKED / EXPIRED mark — the stored copy when the task
has re-rendered it, else a marked copy rendered in memory and not stored — and its baked
badge images are refused (410, with a page that says why): a baked image is made to be
shown and imported as the badge itself, and no mark on it would survive that use.
"""

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from core.storage import open_for_download
from core.svg import SVG_HEADERS, UnsafeSvg

from .. import selectors
from ..openbadges import baking
from ..pdf import certificate_pdf_bytes, document_mark, report_pdf_bytes
from ..progress import progress_map
from ..services import credential_set_show_name


@login_required
@require_GET
def portfolio(request):
    credentials = list(selectors.credentials_of(request.user))
    return render(
        request,
        "certificates/portfolio.html",
        {"credentials": credentials, "constellations": progress_map(request.user, credentials)},
    )


@login_required
@require_POST
def set_visibility(request, public_id):
    credential = selectors.credential_public(public_id)
    # Only the recipient decides (not even a superuser, whom has_perm lets through).
    if credential.recipient_id != request.user.pk or not request.user.has_perm(
        "certificates.set_credential_visibility", credential
    ):
        raise Http404
    credential_set_show_name(
        actor=request.user, credential=credential, show=request.POST.get("show_name") == "1"
    )
    messages.success(request, _("Your choice is saved."))
    return redirect("certificates:verify", public_id=credential.public_id)


# --- restricted downloads ------------------------------------------------------------------


# Stored field -> (content type, file name suffix, permission).
DOWNLOADS = {
    "baked_png": ("image/png", "ob3.png", "certificates.download_credential"),
    "baked_svg": ("image/svg+xml", "ob3.svg", "certificates.download_credential"),
    "baked_ob2_png": ("image/png", "ob2.png", "certificates.download_credential"),
    "baked_ob2_svg": ("image/svg+xml", "ob2.svg", "certificates.download_credential"),
    "certificate_pdf": ("application/pdf", "certificate.pdf", "certificates.download_credential"),
    "report_pdf": ("application/pdf", "assessment-report.pdf", "certificates.view_report"),
}


def _report_pdf(credential) -> bytes | None:
    if not credential.application_id:
        return None
    return report_pdf_bytes(credential)


# The PDFs `tasks.render_credential_pdfs` stores, rendered here while they are missing.
RENDERED = {"certificate_pdf": certificate_pdf_bytes, "report_pdf": _report_pdf}


@require_safe
def download(request, public_id, *, field):
    """One of a credential's stored files, as an attachment, to those allowed to have it.
    A PDF the background task has not stored yet, or stored for another status, is rendered
    in memory and served, not stored: a GET writes nothing (a credential without an
    application has no assessment report: 404). Baked images of a credential that is not
    valid: 410."""
    content_type, suffix, perm = DOWNLOADS[field]
    credential = selectors.credential_public(public_id)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
    if not request.user.has_perm(perm, credential):
        raise Http404
    if field.startswith("baked_") and not credential.is_valid:
        return render(
            request,
            "certificates/baked_gone.html",
            {"credential": credential, "mark": document_mark(credential)},
            status=410,
        )
    stored = getattr(credential, field)
    if field in RENDERED and credential.pdfs_status != credential.status:
        stored = None  # it shows another status: serve a marked copy rendered now
    if stored and content_type == "image/svg+xml":
        with stored.open("rb") as handle:
            data = handle.read(baking.MAX_BAKED_SVG_BYTES + 1)
        try:
            content = io.BytesIO(baking.clean_baked_svg(data))
        except UnsafeSvg as error:
            raise Http404 from error
        response = FileResponse(
            content,
            as_attachment=True,
            filename=_filename(public_id, suffix),
            content_type=content_type,
        )
        for header, value in SVG_HEADERS.items():
            response[header] = value
        return response
    if stored:
        content = open_for_download(stored)
    elif field in RENDERED:
        data = RENDERED[field](credential)
        if data is None:
            raise Http404
        content = io.BytesIO(data)
    else:
        raise Http404
    return FileResponse(
        content,
        as_attachment=True,
        filename=_filename(public_id, suffix),
        content_type=content_type,
    )


def _filename(public_id, suffix: str) -> str:
    return f"credential-{str(public_id)[:8]}-{suffix}"
