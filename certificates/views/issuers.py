"""Coordinators' pages: the issuers with their keys and credentials, editing an issuer
(which gives it keys), and revoking a credential."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError, PermissionDeniedError
from frameworks.models import Constellation

from .. import selectors
from ..forms import IssuerForm, RevokeForm
from ..services import credential_revoke, issuer_keys_create, issuer_save


@login_required
@require_GET
def issuer_list(request):
    user = request.user
    if not user.has_perm("certificates.view_issuers"):
        raise PermissionDenied
    issuers = list(
        selectors.issuers_visible_to(user).prefetch_related(
            Prefetch("constellations", queryset=Constellation.objects.order_by("name"))
        )
    )
    keys: dict[int, list] = {}
    for key in selectors.published_keys_of_issuers([issuer.pk for issuer in issuers]):
        keys.setdefault(key.issuer_id, []).append(key)
    rows = []
    for issuer in issuers:
        constellations = list(issuer.constellations.all())
        # Other coordinators' constellations are counted, not named.
        shown = [c for c in constellations if user.has_perm("frameworks.view_constellation", c)]
        rows.append(
            {
                "issuer": issuer,
                "keys": keys.get(issuer.pk, []),
                "constellations": shown,
                "other_constellations": len(constellations) - len(shown),
            }
        )
    credentials = selectors.credentials_visible_to(user)[:200]
    return render(
        request,
        "certificates/issuer_list.html",
        {
            "issuers": rows,
            "credentials": credentials,
            "can_create": user.has_perm("certificates.add_issuer"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def issuer_edit(request, issuer_id=None):
    """A new issuer (any coordinator), or one the user may reach (else 404) and owns
    (else 403)."""
    user = request.user
    if issuer_id is None:
        issuer = None
        if not user.has_perm("certificates.add_issuer"):
            raise PermissionDenied
    else:
        if not user.has_perm("certificates.view_issuers"):
            raise PermissionDenied
        issuer = selectors.issuer_visible_to(user, issuer_id)
        if not user.has_perm("certificates.change_issuer", issuer):
            raise PermissionDenied
    form = IssuerForm(request.POST or None, request.FILES or None, instance=issuer, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = issuer_save(
                actor=user,
                issuer=form.save(commit=False),
                constellations=form.cleaned_data["constellations"],
                owners=form.cleaned_data["owners"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return render(
                request,
                "certificates/issuer_form.html",
                {"form": form, "issuer": issuer},
                status=403 if isinstance(error, PermissionDeniedError) else 400,
            )
        issuer_keys_create(issuer=saved, actor=user)
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
