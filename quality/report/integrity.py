"""Integrity: the audit chain, and the EU micro-credential elements each badge carries."""

from django.apps import apps as django_apps

from core.audit import verify_audit_chain
from frameworks.models import BadgeStatus, BadgeVersion

# The EU micro-credential elements (Council Recommendation 2022/C 243/02, Annex I) and
# where each is found. "optional": required only where applicable; "per_credential":
# always present on an issued credential (recipient and issue date are mandatory fields).
EU_ELEMENTS = [
    ("learner_identification", "per_credential"),
    ("title", "required"),
    ("country_awarding_body", "issuer"),
    ("date_of_issuing", "per_credential"),
    ("learning_outcomes", "required"),
    ("workload", "required"),
    ("eqf_level", "optional"),
    ("assessment_type", "required"),
    ("participation_form", "required"),
    ("quality_assurance", "required"),
]


def issuer_check():
    """For the awarding body: (checkable, default issuer exists, constellation ids named by an
    issuer). An issuer counts when it has a name and a country (EU elements 3 and 4)."""
    try:
        issuer_model = django_apps.get_model("certificates", "Issuer")
    except LookupError:
        return False, False, frozenset()
    complete = issuer_model.objects.exclude(name="").exclude(country_code="")
    has_default = complete.filter(is_default=True).exists()
    named = frozenset(
        complete.filter(constellations__isnull=False).values_list("constellations", flat=True)
    )
    return True, has_default, named


def eu_elements_of(version: BadgeVersion, *, issuer: tuple) -> dict:
    present, missing, optional_missing, not_checkable = [], [], [], []
    values = {
        "title": bool(version.title.strip()),
        "learning_outcomes": bool(version.learning_outcome_list),
        "workload": version.ects is not None or version.workload_hours is not None,
        "eqf_level": version.eqf_level is not None,
        "assessment_type": bool(version.assessment_type),
        "participation_form": bool(version.participation_form),
        "quality_assurance": bool(version.quality_assurance.strip()),
    }
    for element, kind in EU_ELEMENTS:
        if kind == "per_credential":
            present.append(element)
        elif kind == "issuer":
            checkable, has_default, named = issuer
            exists = has_default or version.badge.constellation_id in named
            if not checkable:
                not_checkable.append(element)
            elif exists:
                present.append(element)
            else:
                missing.append(element)
        elif values[element]:
            present.append(element)
        elif kind == "optional":
            optional_missing.append(element)
        else:
            missing.append(element)
    return {
        "badge": version.badge.slug,
        "version": version.version,
        "title": version.title,
        "status": version.status,
        "present": present,
        "missing": missing,
        "optional_missing": optional_missing,
        "not_checkable": not_checkable,
    }


def integrity(versions, verify_chain: bool) -> dict:
    if verify_chain:
        chain = verify_audit_chain()
        chain_result = {
            "ok": chain.ok,
            "checked": chain.checked,
            "first_broken_id": chain.first_broken_id,
            "problem": chain.problem,
            "anchored": chain.anchored,
        }
    else:
        chain_result = None
    # One version per badge: the newest published (or retired) one, else the newest draft.
    chosen: dict[int, BadgeVersion] = {}
    for version in versions:
        current = chosen.get(version.badge_id)
        if current is None or (
            current.status == BadgeStatus.DRAFT and version.status != BadgeStatus.DRAFT
        ):
            chosen[version.badge_id] = version
    issuer = issuer_check()
    elements = [eu_elements_of(v, issuer=issuer) for v in chosen.values()]
    return {
        "audit_chain": chain_result,
        "eu_elements": elements,
        "badges_missing_elements": sum(1 for e in elements if e["missing"]),
    }
