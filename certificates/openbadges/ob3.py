"""Open Badges 3.0: the OpenBadgeCredential of a credential, its Achievement, the issuer's
profile and the VC-JWT claims (the issuer's status list is in `status_list.py`).

Every multi-valued property is emitted as an array, so that both official JSON Schema
variants (strict and permissive) accept the document. The EU micro-credential elements
map as documented in docs/credentials.md ("EU micro-credential elements").
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse

from applications.models import EvidenceItem
from frameworks.models import (
    AssessmentType,
    BadgeKind,
    BadgeVersion,
    Criterion,
    CriterionAlignment,
    ParticipationForm,
    RubricLevel,
)

from ..models import Credential, Issuer, KeyAlgorithm
from . import signing
from .urls_public import (
    absolute,
    achievement_url,
    badge_image_url,
    credential_urls,
    issuer_url,
    status_list_url,
)

SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
EQF_URI = "http://data.europa.eu/snb/eqf/{}"
ECTS_URI = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
PARTICIPATION_URI = {
    ParticipationForm.ONLINE: "http://data.europa.eu/snb/learning-assessment/920fbb3cbe",
    ParticipationForm.PRESENTIAL: "http://data.europa.eu/snb/learning-assessment/9191af2ed9",
    ParticipationForm.BLENDED: "http://data.europa.eu/snb/learning-assessment/e92d221e4d",
}
ASSESSMENT_URI = {
    AssessmentType.ARTEFACT: "http://data.europa.eu/snb/assessment/de4d165a6c",
    AssessmentType.WRITTEN: "http://data.europa.eu/snb/assessment/6e6cb2cc78",
    AssessmentType.CONTINUOUS: "http://data.europa.eu/snb/assessment/3484bd7e51",
}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class CriterionResult:
    """One criterion of the badge and the judgement that approved it (if any)."""

    criterion: Criterion
    rubric_levels: list[RubricLevel]
    alignments: list[CriterionAlignment]
    achieved_level: RubricLevel | None = None
    outcome: str = ""
    feedback: str = ""


@dataclass
class IssueContext:
    """Everything the documents of one credential are built from (loaded by the service)."""

    credential: Credential
    issuer: Issuer
    badge_version: BadgeVersion
    recipient_email: str
    criteria: list[CriterionResult] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)  # the public ones
    components: list[Credential] = field(default_factory=list)  # component credentials (rules)
    # The recipient's identity hash as first issued (re-signing keeps the same identity even
    # if the person's e-mail changed since); empty: hashed from `recipient_email`.
    identity_hash: str = ""


def recipient_hash(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _competence_alignments(criteria: list[CriterionResult]) -> list[dict]:
    seen, out = set(), []
    for result in criteria:
        for alignment in result.alignments:
            competence = alignment.competence
            if competence.pk in seen:
                continue
            seen.add(competence.pk)
            framework = competence.framework
            level = alignment.target_level
            name = f"{competence.code} {competence.name}"
            if level is not None:
                name += f" ({level.code} {level.name})"
            out.append(
                {
                    "type": ["Alignment"],
                    "targetName": name,
                    "targetUrl": absolute(reverse("certificates:competence", args=[competence.pk])),
                    "targetCode": competence.code,
                    "targetFramework": f"{framework.name} v{framework.version}",
                    "targetDescription": competence.description or competence.name,
                    "targetType": "ext:Competence",
                }
            )
    return out


def eu_alignments(version) -> list[dict]:
    out = []
    if version.eqf_level:
        out.append(
            {
                "type": ["Alignment"],
                "targetName": f"EQF level {version.eqf_level}",
                "targetUrl": EQF_URI.format(version.eqf_level),
                "targetCode": str(version.eqf_level),
                "targetFramework": "European Qualifications Framework",
                "targetType": "ext:EQFLevel",
            }
        )
    out.append(
        {
            "type": ["Alignment"],
            "targetName": str(ParticipationForm(version.participation_form).label),
            "targetUrl": PARTICIPATION_URI[version.participation_form],
            "targetFramework": "European Learning Model: learning and assessment mode",
            "targetType": "ext:FormOfParticipation",
        }
    )
    out.append(
        {
            "type": ["Alignment"],
            "targetName": str(AssessmentType(version.assessment_type).label),
            "targetUrl": ASSESSMENT_URI[version.assessment_type],
            "targetFramework": "European Learning Model: assessment type",
            "targetType": "ext:TypeOfAssessment",
        }
    )
    if version.ects is not None or version.workload_hours:
        parts = []
        if version.ects is not None:
            parts.append(f"{_number(version.ects)} ECTS")
        if version.workload_hours:
            parts.append(f"{version.workload_hours} hours of notional workload")
        out.append(
            {
                "type": ["Alignment"],
                "targetName": ", ".join(parts),
                "targetUrl": ECTS_URI,
                "targetFramework": "European Credit Transfer and Accumulation System",
                "targetType": "ext:NotionalWorkload",
            }
        )
    return out


def criteria_narrative(version) -> str:
    """Markdown: the criteria, the learning outcomes and the quality assurance (EU elements
    6 and 11 in human-readable form)."""
    lines = []
    if version.criteria_narrative:
        lines += [version.criteria_narrative.strip(), ""]
    outcomes = version.learning_outcome_list
    if outcomes:
        lines += ["Learning outcomes:", *[f"- {o}" for o in outcomes], ""]
    if version.quality_assurance:
        lines += [f"Quality assurance: {version.quality_assurance}", ""]
    if version.prerequisites:
        lines += [f"Prerequisites: {version.prerequisites}", ""]
    return "\n".join(lines).strip() or version.title


def _rubric_level_id(achievement_id: str, level) -> str:
    return f"{achievement_id}#rubric-level-{level.pk}"


def _result_description_id(achievement_id: str, criterion) -> str:
    return f"{achievement_id}#criterion-{criterion.pk}"


def build_achievement(ctx: IssueContext) -> dict:
    version = ctx.badge_version
    achievement_id = achievement_url(ctx.issuer, version)
    result_descriptions = []
    for result in ctx.criteria:
        criterion = result.criterion
        description: dict[str, Any] = {
            "id": _result_description_id(achievement_id, criterion),
            "type": ["ResultDescription"],
            "name": f"{criterion.code} {criterion.title}".strip(),
        }
        aligned = _competence_alignments([result])
        if aligned:
            description["alignment"] = aligned
        if result.rubric_levels:
            description["resultType"] = "RubricCriterionLevel"
            description["rubricCriterionLevel"] = [
                {
                    "id": _rubric_level_id(achievement_id, level),
                    "type": ["RubricCriterionLevel"],
                    "name": level.name,
                    **({"description": level.descriptor} if level.descriptor else {}),
                    "level": str(level.order),
                }
                for level in result.rubric_levels
            ]
            passing = [lv for lv in result.rubric_levels if lv.is_passing]
            if passing:
                description["requiredLevel"] = _rubric_level_id(achievement_id, passing[0])
        else:
            description["resultType"] = "Status"
        result_descriptions.append(description)

    kind = version.badge.kind
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": version.title,
        "description": version.description,
        "criteria": {"narrative": criteria_narrative(version)},
        "image": {"id": badge_image_url(version), "type": "Image", "caption": version.title},
        "alignment": _competence_alignments(ctx.criteria) + eu_alignments(version),
        "inLanguage": ctx.credential.language,
        "version": str(version.version),
        "tag": [str(BadgeKind(kind).label), version.badge.constellation.name],
        "humanCode": version.badge.slug,
    }
    if version.ects is not None:
        achievement["creditsAvailable"] = _number(version.ects)
    if result_descriptions:
        achievement["resultDescription"] = result_descriptions
    return achievement


def build_issuer_profile(issuer) -> dict:
    profile = {
        "id": issuer_url(issuer),
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "address": {
            "type": ["Address"],
            "addressCountryCode": issuer.country_code.upper(),
        },
    }
    if issuer.region:
        profile["address"]["addressRegion"] = issuer.region
    if issuer.description:
        profile["description"] = issuer.description
    return profile


def build_issuer_document(issuer, keys) -> dict:
    """The issuer profile as served: an OB 3.0 Profile that is also the controller document
    of the issuer's Data Integrity keys (`keys`: active and retired), so that a verifier
    that dereferences a proof's verification method finds the Multikey and sees it
    authorised for `assertionMethod`."""
    profile_id = issuer_url(issuer)
    methods = [
        {
            "id": f"{profile_id}#{key.key_id}",
            "type": "Multikey",
            "controller": profile_id,
            "publicKeyMultibase": key.key_id,  # an Ed25519 key's id is its Multikey
        }
        for key in keys
        if key.algorithm == KeyAlgorithm.ED25519
    ]
    return {
        "@context": list(signing.PROFILE_CONTEXTS),
        **build_issuer_profile(issuer),
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def build_credential(ctx: IssueContext) -> dict:
    """The unsigned OpenBadgeCredential."""
    credential = ctx.credential
    version = ctx.badge_version
    urls = credential_urls(credential)
    achievement = build_achievement(ctx)
    identifiers = [
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "salt": credential.salt,
            "identityHash": ctx.identity_hash
            or recipient_hash(ctx.recipient_email, credential.salt),
        }
    ]
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": identifiers,
        "achievement": achievement,
    }
    if version.ects is not None:
        subject["creditsEarned"] = _number(version.ects)
    results = []
    for result in ctx.criteria:
        item: dict[str, Any] = {
            "type": ["Result"],
            "resultDescription": _result_description_id(achievement["id"], result.criterion),
        }
        if result.rubric_levels and result.achieved_level is not None:
            item["achievedLevel"] = _rubric_level_id(achievement["id"], result.achieved_level)
        else:
            item["status"] = "Completed"
        results.append(item)
    if results:
        subject["result"] = results

    document: dict[str, Any] = {
        "@context": list(signing.CREDENTIAL_CONTEXTS),
        "id": urls["ob3_credential_url"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": version.title,
        "description": version.description,
        "issuer": build_issuer_profile(ctx.issuer),
        "validFrom": iso(credential.issued_at),
        "awardedDate": iso(credential.issued_at),
        "credentialSubject": subject,
        "credentialSchema": [{"id": SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": {
            "id": f"{status_list_url(ctx.issuer)}#{credential.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(credential.status_index),
            "statusListCredential": status_list_url(ctx.issuer),
        },
    }
    if credential.expires_at:
        document["validUntil"] = iso(credential.expires_at)
    evidence = []
    for shown in ctx.evidence:
        entry = {"type": ["Evidence"], "name": shown.description}
        if shown.url:
            entry["id"] = shown.url
        if shown.text:
            entry["narrative"] = shown.text
        if shown.original_filename:
            entry["description"] = shown.original_filename
        evidence.append(entry)
    for component in ctx.components:
        evidence.append(
            {
                "id": credential_urls(component)["ob3_credential_url"],
                "type": ["Evidence"],
                "name": component.badge_version.title,
                "description": "Component credential that satisfied the rule of this badge.",
            }
        )
    if evidence:
        document["evidence"] = evidence
    return document


def jwt_claims(document: dict) -> dict:
    """VC-JWT payload (OB 3.0 section 8.2.2): the credential (without proof) plus the
    registered JWT claims. `sub` is `credentialSubject.id` and is present only when the
    subject has an id: our recipients are identified by a hashed e-mail in
    `credentialSubject.identifier` (as in OB 2.0), not by an identifier of their own, so a
    `sub` would name something the credential does not."""
    claims = {k: v for k, v in document.items() if k != "proof"}
    valid_from = datetime.fromisoformat(document["validFrom"].replace("Z", "+00:00"))
    claims.update(
        {
            "iss": document["issuer"]["id"],
            "jti": document["id"],
            "nbf": int(valid_from.timestamp()),
        }
    )
    subject_id = document["credentialSubject"].get("id")
    if subject_id:
        claims["sub"] = subject_id
    if "validUntil" in document:
        until = datetime.fromisoformat(document["validUntil"].replace("Z", "+00:00"))
        claims["exp"] = int(until.timestamp())
    return claims
