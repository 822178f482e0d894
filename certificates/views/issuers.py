"""Coordinators' pages: the issuers with their keys and credentials, editing an issuer
(which gives it keys), and revoking a credential."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError

from .. import selectors
from ..forms import IssuerForm, RevokeForm
from ..models import Issuer
from ..services import credential_revoke, issuer_keys_create, issuer_save


@login_required
@require_GET
def issuer_list(request):
    if not request.user.has_perm("certificates.view_issuers"):
        raise PermissionDenied
    issuers = Issuer.objects.prefetch_related("constellations").order_by("name")
    keys = {}
    for key in selectors.published_keys_of_all():
        keys.setdefault(key.issuer_id, []).append(key)
    credentials = selectors.credentials_visible_to(request.user)[:200]
    return render(
        request,
        "certificates/issuer_list.html",
        {
            "issuers": [(issuer, keys.get(issuer.pk, [])) for issuer in issuers],
            "credentials": credentials,
            "can_manage": request.user.has_perm("certificates.manage_issuers"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def issuer_edit(request, issuer_id=None):
    if not request.user.has_perm("certificates.manage_issuers"):
        raise PermissionDenied
    issuer = get_object_or_404(Issuer, public_id=issuer_id) if issuer_id else None
    form = IssuerForm(request.POST or None, request.FILES or None, instance=issuer)
    if request.method == "POST" and form.is_valid():
        saved = issuer_save(
            actor=request.user,
            issuer=form.save(commit=False),
            constellations=form.cleaned_data["constellations"],
        )
        issuer_keys_create(issuer=saved, actor=request.user)
        messages.success(request, _("The issuer profile is saved."))
        return redirect("certificates:issuer_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "certificates/issuer_form.html", {"form": form, "issuer": issuer}, status=status
    )


@login_required
@require_POST
def revoke(request, public_id):
    credential = selectors.credential_public(public_id)
    if not request.user.has_perm("certificates.revoke_credential", credential):
        raise Http404
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reason is required to revoke a credential."))
        return redirect("certificates:verify", public_id=credential.public_id)
    try:
        revoked = credential_revoke(
            actor=request.user, credential=credential, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if len(revoked) > 1:
            messages.warning(
                request,
                ngettext(
                    "Revoked, together with %(count)d milestone or meta credential that needed it.",
                    "Revoked, together with %(count)d milestone or meta credentials that needed it.",
                    len(revoked) - 1,
                )
                % {"count": len(revoked) - 1},
            )
        else:
            messages.success(request, _("The credential is revoked."))
    return redirect("certificates:verify", public_id=credential.public_id)
