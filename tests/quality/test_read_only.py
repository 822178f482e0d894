"""Auditors change nothing: a POST by an auditor to any URL of the product — every app's,
as the project's URL configuration stands when the tests run — leaves every record as it
was, and is refused (never a 2xx) except on the few endpoints that change no record by
design.

The URLs are built from the resolver with real objects for their parameters (primary keys,
slugs, UUIDs of the records below); a URL whose parameters cannot be built is skipped.
"""

import hashlib
import itertools

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter

from applications.models import EvidenceItem, EvidenceKind, SelfAssessment
from core.audit import audit_record
from quality.models import ExportJob
from tests.factories import quality as q
from tests.factories.frameworks import CompetenceFactory, CriterionAlignmentFactory

# POSTs that answer 2xx to an auditor and change no record, by design.
ALLOWED_2XX = {
    "quality:export_create",  # writes an export job (the record of the export), no record
    "quality:audit_trail",  # "Verify the chain" recomputes hashes, writes nothing
    "certificates:verify_upload",  # anyone may verify a credential file; nothing is stored
}
# The auditor's own account (sign in/out, password, profile, language): not records, and
# signing out would end the session the test runs in.
OWN_ACCOUNT = {
    "admin:login",
    "admin:logout",
    "login",
    "logout",
    "profile",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
}
# Records: every model (and many-to-many table) of these apps.
RECORD_APPS = {"core", "frameworks", "applications", "review", "certificates", "auth"}
IGNORED_FIELDS = {"last_login"}  # the test client's force_login stamps it
MAX_COMBINATIONS = 8


def walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry


def parameters(pattern: URLPattern) -> dict:
    converters = getattr(pattern.pattern, "converters", {}) or {}
    if converters:
        return dict(converters)
    regex = pattern.pattern.regex
    return dict.fromkeys(regex.groupindex, None)


def records_checksum() -> dict[str, tuple[int, str]]:
    result = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in RECORD_APPS:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED_FIELDS]
        rows = list(model._base_manager.order_by("pk").values_list(*fields))
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        result[model._meta.label] = (len(rows), digest)
    return result


@pytest.fixture
def world(scenario, auditor):
    """The scenario's history plus one of every other kind of record."""
    app = scenario.apps[4]
    item = EvidenceItem.objects.create(
        application=app,
        kind=EvidenceKind.LINK,
        description="Lesson plan",
        url="https://example.org",
    )
    app.rounds.get().evidence.add(item)
    criterion = scenario.version_a.criteria.first()
    SelfAssessment.objects.create(application=app, criterion=criterion, status="met")
    competence = CompetenceFactory()
    CriterionAlignmentFactory(criterion=criterion, competence=competence)
    job = ExportJob.objects.create(requested_by=auditor, kind="applications", format="csv")
    with transaction.atomic():
        audit_record(actor=auditor, action="test.setup", obj=app)
    credential = scenario.apps[1].credential
    issuer = credential.issuer or q.issuer()
    return {
        "scenario": scenario,
        "app": app,
        "item": item,
        "competence": competence,
        "criterion": criterion,
        "credential": credential,
        "issuer": issuer,
        "job": job,
    }


def candidates(name: str, converter, world) -> list:
    s = world["scenario"]
    if isinstance(converter, UUIDConverter) or "public_id" in name or name == "issuer_id":
        return [world["credential"].public_id, world["issuer"].public_id]
    if name == "version_id":
        return [s.version_a.pk, s.version_b.pk]
    if name == "item_pk":
        return [world["item"].pk]
    if name == "assignment_pk":
        return list(world["app"].assignments.values_list("pk", flat=True))
    if name == "competence_id":
        return [world["competence"].pk]
    if name == "number":
        return [1, 2]
    if name == "dataset":
        return ["applications", "judgements", "credentials"]
    if name == "app_label":
        return ["applications", "review", "certificates", "frameworks", "core", "quality"]
    if name in ("slug",) or isinstance(converter, SlugConverter):
        return [s.constellation.slug, s.version_a.badge.slug]
    if isinstance(converter, IntConverter) or name in ("pk", "id", "object_id"):
        ids = {a.pk for a in s.apps.values()} | {world["job"].pk, world["item"].pk}
        return sorted(ids)[:MAX_COMBINATIONS]
    if isinstance(converter, PathConverter):
        return [str(world["app"].pk)]
    return []


def urls_to_post(world):
    for name, pattern in walk(get_resolver()):
        if name in OWN_ACCOUNT:
            continue
        params = parameters(pattern)
        if not params:
            yield name, reverse(name)
            continue
        values = [candidates(p, conv, world) for p, conv in params.items()]
        if not all(values):
            continue  # cannot be built from our records
        seen = set()
        for combination in itertools.islice(itertools.product(*values), MAX_COMBINATIONS):
            try:
                url = reverse(name, kwargs=dict(zip(params, combination, strict=True)))
            except Exception:  # noqa: S112 - a combination the pattern rejects
                continue
            if url not in seen:
                seen.add(url)
                yield name, url


PAYLOADS = [
    {},
    {
        "recommendation": "approve",
        "decision": "approve",
        "reason": "Looks fine.",
        "overall_feedback": "Fine.",
        "state": "approved",
        "submit": "1",
        "confirm": "yes",
        "action": "approve",
        "title": "Changed by an auditor",
        "name": "Changed by an auditor",
        "description": "Changed by an auditor",
        "kind": "link",
        "url": "https://example.org/changed",
        "text": "Changed",
        "show_name": "on",
        "is_public": "on",
        "language": "en",
    },
]


def post_everywhere(client, world, auditor, *, attribute_changes=False):
    """POST both payloads to every URL; returns [(name, url, status, changed tables)].
    Records are compared once at the end, or after each POST when `attribute_changes`."""
    client.raise_request_exception = False
    extra = {
        "assessor": world["scenario"].ada.pk,
        "learner": world["app"].learner_id,
        "cohort": world["scenario"].cohort.pk,
        "criteria": world["criterion"].pk,
    }
    payloads = [PAYLOADS[0], {**PAYLOADS[1], **extra}]
    before = records_checksum()
    results = []
    for name, url in urls_to_post(world):
        for payload in payloads:
            client.force_login(auditor)
            response = client.post(url, payload)
            changed = []
            if attribute_changes:
                after = records_checksum()
                changed = sorted(label for label in before if before[label] != after[label])
                before = after
            results.append((name, url, response.status_code, changed))
    if not attribute_changes and records_checksum() != before:
        return post_everywhere(client, world, auditor, attribute_changes=True)
    return results


def test_an_auditors_post_never_changes_a_record_nor_fails(client, world, auditor):
    before = records_checksum()
    results = post_everywhere(client, world, auditor)
    assert len(results) > 200  # the walk reached the whole product
    problems = [
        f"POST {url} ({name}) changed {', '.join(changed)}"
        for name, url, _s, changed in results
        if changed
    ] + [
        f"POST {url} ({name}) answered {status}"
        for name, url, status, _c in results
        if status >= 500
    ]
    assert problems == [], "\n".join(problems)
    assert records_checksum() == before


def test_an_auditors_post_is_refused_except_on_the_read_only_endpoints(client, world, auditor):
    results = post_everywhere(client, world, auditor)
    accepted = sorted(
        {
            f"POST {url} ({name}) answered {status}"
            for name, url, status, _c in results
            if 200 <= status < 300 and name not in ALLOWED_2XX
        }
    )
    assert accepted == [], "\n".join(accepted)


def test_the_whitelisted_endpoints_answer_an_auditor(client, world, auditor):
    client.force_login(auditor)
    assert client.post(reverse("quality:audit_trail")).status_code == 200
    response = client.post(
        reverse("quality:export_create"), {"kind": "applications", "format": "csv"}
    )
    assert response.status_code == 302


def test_the_walk_covers_every_app_of_the_product(world):
    names = {name.split(":")[0] for name, _url in urls_to_post(world) if ":" in name}
    assert {"quality", "applications", "review", "frameworks", "certificates", "admin"} <= names
