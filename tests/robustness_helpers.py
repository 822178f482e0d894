"""The data set and the URL walk of the robustness crawler (tests/test_robustness.py).

`build_world()` makes a small but complete product: a constellation with published micro,
milestone and meta badges and a draft, a learner's applications in every main state (with
evidence files, rounds, reviews, an assignment), an issued credential, a conflict of
interest, a cohort and an export job, and one user per role. `urls_for(world)` walks every
URL pattern of the project and fills its parameters with real values of the data set;
`hostile_urls_for(...)` fills them with hostile ones.
"""

import itertools
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from applications.models import ApplicationState, EvidenceItem, Round
from core.roles import Role
from frameworks.models import BadgeKind
from quality.models import ExportJob
from review import services as review_services
from review.models import Assignment, Review
from tests.factories.applications import draft_application
from tests.factories.certificates import IssuerFactory, issued_credential, micro_badge, rule_badge
from tests.factories.core import CohortFactory, UserFactory
from tests.factories.frameworks import (
    BadgeVersionFactory,
    ConstellationFactory,
    CriterionFactory,
    framework_with_competences,
    published_badge_version,
)
from tests.factories.review import Scenario

S = ApplicationState
SCRIPT = "<script>alert('rb')</script>"
MAX_COMBINATIONS = 2

HOSTILE_INTS = ["0", "999999", str(10**20)]
HOSTILE_STRINGS = ["..", "%00", quote(SCRIPT, safe=""), "a" * 300, "%2e%2e%2f%2e%2e%2fetc"]


@dataclass
class World:
    users: dict  # role name -> user (None for anonymous)
    ids: dict = field(default_factory=dict)  # what -> [values]


def build_world() -> World:
    coordinator = UserFactory(roles=[Role.COORDINATOR], display_name="Cora Coordinator")
    assessor = UserFactory(roles=[Role.ASSESSOR], display_name="Ada Assessor")
    conflicted = UserFactory(roles=[Role.ASSESSOR], display_name="Bram Conflicted")
    learner = UserFactory(roles=[Role.LEARNER], display_name="Lena Learner")
    other_learner = UserFactory(roles=[Role.LEARNER], display_name="Otto Other")
    auditor = UserFactory(roles=[Role.AUDITOR], display_name="Audrey Auditor")
    nobody = UserFactory(display_name="Nora Norole")
    superuser = UserFactory(display_name="Sam Super", is_staff=True, is_superuser=True)

    framework = framework_with_competences(slug="robust", areas=1, per_area=2)
    constellation = ConstellationFactory(
        slug="robust-constellation", coordinators=[coordinator], assessors=[assessor, conflicted]
    )
    constellation.moderators.add(coordinator)
    cohort = CohortFactory(slug="robust-cohort", members=[learner])
    review_services.conflict_declare(assessor=conflicted, learner=learner, reason="Colleague")

    IssuerFactory()
    micro = micro_badge(constellation=constellation, title="Micro with rubric")
    simple = [
        published_badge_version(criteria=1, badge__constellation=constellation, title=f"Simple {i}")
        for i in range(5)
    ]
    milestone = rule_badge(
        constellation=constellation, kind=BadgeKind.MILESTONE, required=[micro, simple[0]], count=1
    )
    meta = rule_badge(
        constellation=constellation, kind=BadgeKind.META, required=[milestone], count=1
    )
    draft_version = BadgeVersionFactory(badge__constellation=constellation, title="Draft badge")
    CriterionFactory(badge_version=draft_version)

    credential = issued_credential(learner=learner, badge_version=micro, assessor=assessor)

    applications = {S.APPROVED: credential.application}
    for version, state in zip(
        simple,
        [S.DRAFT, S.IN_REVIEW, S.CHANGES_REQUESTED, S.REJECTED, S.WITHDRAWN],
        strict=True,
    ):
        scenario = Scenario(
            application=draft_application(learner=learner, badge_version=version),
            learner=learner,
            coordinator=coordinator,
            assessors=[assessor],
        )
        applications[state] = scenario.to(state)
    other = Scenario(
        application=draft_application(learner=other_learner, badge_version=simple[0]),
        learner=other_learner,
        coordinator=coordinator,
        assessors=[assessor],
    )
    applications["other"] = other.to(S.SUBMITTED)

    job = ExportJob.objects.create(requested_by=auditor, kind="applications", format="csv")
    app_ids = [a.pk for a in applications.values()]
    world = World(
        users={
            "anonymous": None,
            "no role": nobody,
            "learner": learner,
            "assessor": assessor,
            "coordinator": coordinator,
            "auditor": auditor,
            "superuser": superuser,
        }
    )
    credentials = list(learner.credentials.all())
    world.ids = {
        "application": app_ids,
        "version": [micro.pk, milestone.pk, meta.pk, draft_version.pk, simple[1].pk],
        "framework": [framework.pk],
        "criterion": [draft_version.criteria.first().pk, micro.criteria.first().pk],
        "constellation": [constellation.slug],
        "item": list(
            EvidenceItem.objects.filter(application__in=app_ids).values_list("pk", flat=True)[:4]
        ),
        "round": list(Round.objects.values_list("pk", flat=True)[:3]),
        "number": [1, 2],
        "review": list(Review.objects.values_list("pk", flat=True)[:3]),
        "assignment": list(Assignment.objects.values_list("pk", flat=True)[:3]),
        "job": [job.pk],
        "credential": [c.public_id for c in credentials],
        "issuer": [credential.issuer.public_id],
        # The VC-JWT key of the credential's issuer (public, like every key id).
        "key": [credential.jwt_key.key_id],
        "competence": [framework.competences.first().pk],
        "dataset": ["applications", "judgements", "credentials", "nonsense"],
        "cohort": [cohort.slug],
        "uidb64": [urlsafe_base64_encode(force_bytes(learner.pk))],
        "token": [default_token_generator.make_token(learner)],
    }
    world.applications = applications
    world.learner_version = simple[1]
    return world


# --- the walk ----------------------------------------------------------------------------


def walk(resolver=None, namespace=""):
    """(name, pattern) of every named URL pattern, recursively, in every namespace."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def parameters(pattern: URLPattern) -> dict:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return dict(converters)
    return dict.fromkeys(pattern.pattern.regex.groupindex, None)


def _admin_model(name: str):
    """The model of an admin URL name such as `admin:applications_application_change`."""
    body = name.removeprefix("admin:")
    for model in apps.get_models():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if body.startswith(prefix):
            return model
    return None


def real_values(name: str, param: str, world: World) -> list:
    ids = world.ids
    if name.startswith("admin:"):
        if param == "app_label":
            from django.contrib import admin

            labels = {m._meta.app_label for m in admin.site._registry}
            return sorted(labels)[:MAX_COMBINATIONS]
        if name == "admin:view_on_site" and param == "object_id":
            return [str(ids["application"][0])]
        if param in ("object_id", "id"):
            model = _admin_model(name)
            if model is None:  # the user admin's password page is named after auth.User
                return [str(world.users["learner"].pk)]
            pks = [str(pk) for pk in model._base_manager.values_list("pk", flat=True)[:2]]
            return pks or ["1"]
        if param == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            return [
                ContentType.objects.get_for_model(apps.get_model("applications.Application")).pk
            ]
        return []
    by_param = {
        "version_id": "version",
        "item_pk": "item",
        "number": "number",
        "assignment_pk": "assignment",
        "public_id": "credential",
        "issuer_id": "issuer",
        "key_id": "key",
        "competence_id": "competence",
        "dataset": "dataset",
        "slug": "constellation",
        "uidb64": "uidb64",
        "token": "token",
    }
    if param in by_param:
        return ids[by_param[param]]
    if param == "pk":
        if name.startswith("frameworks:framework"):
            return ids["framework"]
        if name.startswith("frameworks:badge") or name == "frameworks:criterion_create":
            return ids["version"]
        if name.startswith("frameworks:criterion"):
            return ids["criterion"]
        if name.startswith("quality:export"):
            return ids["job"]
        if name == "quality:round_detail":
            return ids["round"]
        if name == "quality:review_detail":
            return ids["review"]
        return ids["application"]
    return []


def hostile_values(converter) -> list[str]:
    if isinstance(converter, IntConverter):
        return HOSTILE_INTS
    if isinstance(converter, UUIDConverter):
        return [str(uuid.uuid4()), "00000000-0000-0000-0000-000000000000"]
    if isinstance(converter, SlugConverter):
        return ["nonexistent-slug", "-", "a" * 300]
    return HOSTILE_STRINGS


def _sentinel(converter):
    if isinstance(converter, IntConverter):
        return 424242
    if isinstance(converter, UUIDConverter):
        return uuid.UUID("42424242-4242-4242-4242-424242424242")
    return "sentinelvalue"


def urls_for(world: World):
    """(name, url) for every pattern, with up to MAX_COMBINATIONS real value combinations.
    Patterns whose parameters cannot be built are reported as (name, None)."""
    for name, pattern in walk():
        params = parameters(pattern)
        if not params:
            yield name, reverse(name)
            continue
        values = [real_values(name, p, world) for p in params]
        if not all(values):
            yield name, None
            continue
        seen = set()
        for combination in itertools.islice(itertools.product(*values), MAX_COMBINATIONS * 3):
            url = reverse(name, kwargs=dict(zip(params, combination, strict=True)))
            if url not in seen and len(seen) < MAX_COMBINATIONS:
                seen.add(url)
                yield name, url


def hostile_urls_for(world: World):
    """(name, url) with one parameter at a time replaced by a hostile value (spliced into
    the path as raw text, so values the converter would reject reach the resolver too)."""
    for name, pattern in walk():
        params = parameters(pattern)
        if not params:
            continue
        real = {p: (real_values(name, p, world) or [None])[0] for p in params}
        for param, converter in params.items():
            kwargs = {p: v for p, v in real.items() if v is not None}
            kwargs[param] = _sentinel(converter)
            if len(kwargs) != len(params):
                continue
            try:
                template = reverse(name, kwargs=kwargs)
            except Exception:  # noqa: S112 - the pattern rejects the sentinel
                continue
            for value in hostile_values(converter):
                yield name, template.replace(str(kwargs[param]), value, 1)
