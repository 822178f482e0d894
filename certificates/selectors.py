"""Reads of the certificates app: what a credential is made of (criteria, judgements,
public evidence, its issuer) and the credentials, issuers and keys, scoped to who asks."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext, pgettext

from applications.models import Application, EvidenceItem
from applications.selectors import Outcome
from core.roles import Role
from frameworks.models import BadgeStatus, BadgeVersion, Criterion, CriterionAlignment
from review.models import Judgement

from .models import Credential, CredentialStatus, Issuer, IssuerKey
from .openbadges.ob3 import CriterionResult


def credential_public(public_id) -> Credential:
    """One credential for the public pages and documents (one query), or 404."""
    credential = (
        Credential.objects.select_related("issuer", "badge_version__badge", "recipient")
        .filter(public_id=public_id)
        .first()
    )
    if credential is None or credential.issuer_id is None or not credential.ob3_credential:
        raise Http404
    return credential


def issuer_public(public_id) -> Issuer:
    issuer = Issuer.objects.filter(public_id=public_id).first()
    if issuer is None:
        raise Http404
    return issuer


def badge_version_hosted_by(issuer: Issuer, version_id: int) -> BadgeVersion:
    """A published (or retired) badge version whose documents `issuer` hosts, or 404: the
    issuer awards the badge now, or awarded it once (a reassigned constellation keeps the
    older credentials' badge documents)."""
    version = (
        BadgeVersion.objects.select_related("badge__constellation")
        .filter(pk=version_id, status__in=[BadgeStatus.PUBLISHED, BadgeStatus.RETIRED])
        .annotate(
            awarded=Exists(Credential.objects.filter(issuer=issuer, badge_version=OuterRef("pk")))
        )
        .first()
    )
    if version is None or not (version.awarded or issuer_for(version) == issuer):
        raise Http404
    return version


def published_keys_of(issuer_id: int) -> list[IssuerKey]:
    """Active and retired keys (rotation keeps old credentials verifiable), public parts."""
    return list(
        IssuerKey.objects.filter(issuer_id=issuer_id)
        .select_related("issuer")  # a published JWK's kid names its issuer
        .defer("private_key_encrypted")
        .order_by("algorithm", "-created_at")
    )


def credentials_of(user):
    return (
        Credential.objects.filter(recipient=user)
        .select_related("badge_version__badge__constellation", "issuer")
        .order_by("-issued_at", "-id")
    )


def credentials_visible_to(user):
    """Coordinators: their constellations' credentials; auditors: all; others: none."""
    base = Credential.objects.select_related(
        "badge_version__badge__constellation", "recipient", "issuer"
    ).order_by("-issued_at", "-id")
    if user.has_role(Role.AUDITOR):
        return base
    if user.has_role(Role.COORDINATOR):
        return base.filter(Q(badge_version__badge__constellation__coordinators=user)).distinct()
    return base.none()


def issuers_visible_to(user) -> QuerySet[Issuer]:
    """Auditors: every issuer. Coordinators: the issuers they own, those awarding a
    constellation they coordinate, and the default issuer (it awards every constellation no
    other issuer names). Others: none. Outside this, an issuer's pages are a 404."""
    base = Issuer.objects.order_by("name", "pk")
    if user.has_role(Role.AUDITOR):
        return base
    if user.has_role(Role.COORDINATOR):
        return base.filter(
            Q(owners=user) | Q(constellations__coordinators=user) | Q(is_default=True)
        ).distinct()
    return base.none()


def issuer_visible_to(user, public_id) -> Issuer:
    issuer = issuers_visible_to(user).filter(public_id=public_id).first()
    if issuer is None:
        raise Http404
    return issuer


def published_keys_of_issuers(issuer_ids) -> list[IssuerKey]:
    return list(
        IssuerKey.objects.filter(issuer_id__in=issuer_ids)
        .select_related("issuer")
        .defer("private_key_encrypted")
        .order_by("issuer", "algorithm", "-created_at")
    )


# --- what a credential is made of ----------------------------------------------------------


def issuer_for(version: BadgeVersion) -> Issuer | None:
    """The issuer that names the badge's constellation, else the default issuer."""
    constellation_id = version.badge.constellation_id
    return (
        Issuer.objects.filter(constellations=constellation_id).order_by("pk").first()
        or Issuer.objects.filter(is_default=True).first()
    )


def criteria_of(version: BadgeVersion, *, rubrics: bool = True) -> list[Criterion]:
    return list(
        Criterion.objects.filter(badge_version=version)
        .prefetch_related(
            *(["rubric_levels"] if rubrics else []),
            Prefetch(
                "alignments",
                queryset=CriterionAlignment.objects.select_related(
                    "competence__framework", "target_level"
                ).order_by("competence__code"),
            ),
        )
        .order_by("order", "id")
    )


def final_judgements(application: Application) -> dict[int, object]:
    """criterion id -> the judgement that decided it: the moderator's review if there is
    one, else the latest submitted review of the last round."""
    last_round = application.rounds.order_by("-number").first()
    if last_round is None:
        return {}
    judgements = (
        Judgement.objects.filter(review__round=last_round, review__is_submitted=True)
        .select_related("rubric_level", "review")
        .order_by("-review__is_moderation", "-review__submitted_at", "-review_id")
    )
    decided: dict[int, object] = {}
    for judgement in judgements:
        decided.setdefault(judgement.criterion_id, judgement)
    return decided


def public_evidence(application: Application) -> list[EvidenceItem]:
    last_round = application.rounds.order_by("-number").first()
    if last_round is None:
        return []
    return list(last_round.evidence.filter(is_public=True).order_by("created_at", "id"))


def criterion_results(
    version: BadgeVersion, application: Application | None, *, rubrics: bool = True
) -> list[CriterionResult]:
    judgements = final_judgements(application) if application else {}
    results = []
    for criterion in criteria_of(version, rubrics=rubrics):
        judgement = judgements.get(criterion.pk)
        results.append(
            CriterionResult(
                criterion=criterion,
                rubric_levels=list(criterion.rubric_levels.all()) if rubrics else [],
                alignments=list(criterion.alignments.all()),
                achieved_level=getattr(judgement, "rubric_level", None),
                outcome=getattr(judgement, "outcome", ""),
                feedback=getattr(judgement, "feedback", ""),
            )
        )
    return results


def credential_outcomes(applications: list[Application]) -> dict[int, Outcome]:
    """For the application pages (registered in `CertificatesConfig.ready`): the approved
    applications whose credential was revoked or has expired, said so. One query."""
    outcomes: dict[int, Outcome] = {}
    credentials = Credential.objects.filter(application__in=[a.pk for a in applications]).only(
        "application_id", "revoked_at", "revocation_reason", "expires_at"
    )
    for credential in credentials:
        assert credential.application_id is not None
        status = credential.status
        if status == CredentialStatus.REVOKED:
            assert credential.revoked_at is not None
            date = formats.date_format(credential.revoked_at, "DATE_FORMAT")
            outcomes[credential.application_id] = Outcome(
                state=str(status),
                label=pgettext("application outcome", "Credential revoked"),
                explanation=gettext(
                    "Approved, but the credential issued for it was revoked on %(date)s: "
                    "it is no longer valid."
                )
                % {"date": date},
                reason=credential.revocation_reason,
            )
        elif status == CredentialStatus.EXPIRED:
            assert credential.expires_at is not None
            date = formats.date_format(credential.expires_at, "DATE_FORMAT")
            outcomes[credential.application_id] = Outcome(
                state=str(status),
                label=pgettext("application outcome", "Credential expired"),
                explanation=gettext(
                    "Approved; the credential issued for it expired on %(date)s: it is no "
                    "longer valid."
                )
                % {"date": date},
            )
    return outcomes
