"""Bad input gets a clear message and a 4xx, never a 500: a crawler walks every URL of the
project (all namespaces, the admin included) as every role, with real and hostile path
parameters, hostile query strings and empty or garbage POST bodies, and collects every 5xx
and every unescaped echo of a `<script>` into one readable list.

The data set and the walk live in tests/robustness_helpers.py.
"""

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import ApplicationState as S
from tests.robustness_helpers import SCRIPT, build_world, hostile_urls_for, urls_for

HOSTILE_QUERIES = [
    # One hostile value for every filter the product reads, plus the script marker.
    {
        "page": "-1",
        "sort": "../../x",
        "state": SCRIPT,
        "from": "2024-13-45",
        "to": "abc",
        "date_from": "2024-13-45",
        "date_to": "0000-00-00",
        "constellation": "999999",
        "badge": SCRIPT,
        "assessor": "999999",
        "cohort": "..",
        "criterion": "99999999999999999999",
        "kind": SCRIPT,
        "format": "exe",
        "overdue": "1",
        "unassigned": "1",
        "pseudonymise": "1",
        "action": "x" * 300,
        "object_type": SCRIPT,
        "object_id": "-1",
        "q": SCRIPT,
        "next": "//evil.example.org/",
    },
    # Other types and repeated parameters.
    {
        "page": ["abc", "99999"],
        "sort": ["state", "-due", "badge; DROP TABLE x"],
        "state": ["approved", "nonsense"],
        "constellation": ["../../etc/passwd", "robust-constellation"],
        "badge": ["1", "a\x00b"],
        "action": "a\x00b",
        "object_type": "\x00",
        "kind": "\x00",
        "assessor": "abc",
        "cohort": "999999",
        "criterion": "²",
        "format": ["json", "csv", "pdf"],
        "date_from": "2030-01-01",
        "date_to": "2020-01-01",
        "from": "-1",
    },
]

GARBAGE_POST = {
    "title": SCRIPT,
    "name": SCRIPT,
    "description": SCRIPT,
    "reason": SCRIPT,
    "overall_feedback": SCRIPT,
    "recommendation": "nonsense",
    "decision": "nonsense",
    "state": "approved",
    "kind": "exe",
    "url": "javascript:alert(1)",
    "text": SCRIPT,
    "note": "a\x00b",
    "show_name": "\x00",
    "criteria": ["999999", "abc", "-1"],
    "criterion": "²",
    "assessor": "999999",
    "learner": "abc",
    "cohort": "..",
    "version": "99999999999999999999",
    "page": "-1",
    "next": "//evil.example.org/",
    "language": "xx-evil",
    "email": SCRIPT,
    "password": "",
    "old_password": "x",
    "new_password1": "a",
    "new_password2": "b",
    "is_public": "maybe",
    "expires_at": "2024-13-45",
    "eqf_level": "-5",
    "ects": "abc",
    "workload_hours": "1e999",
    "count": "10000000000000000000000",
    "required_count": "-1",
    "format": "exe",
    "date_from": "2024-13-45",
    "submit": "1",
    "confirm": "yes",
    "form-TOTAL_FORMS": "99999999",
    "form-INITIAL_FORMS": "abc",
    "csrfmiddlewaretoken": SCRIPT,
}

# A 5xx that cannot be fixed at once goes here as (role, method, URL name), pinned by a strict
# xfail test that reproduces it; remove the entry with the fix. Empty: none is open.
KNOWN_UNFIXED: set[tuple[str, str, str]] = set()

# Roles that reach the admin beyond its login page; the others only need a few of its URLs.
ADMIN_ROLES = {"anonymous", "superuser"}


@pytest.fixture
def world(db, settings):
    settings.AXES_ENABLED = False  # the crawler signs in by force_login; no lockouts
    return build_world()


def finish(response):
    """Read a streaming response to its end: the test client then closes it (and its file)
    the way it closes every other response, without closing the database connection."""
    if response.streaming:
        b"".join(response.streaming_content)


class Crawler:
    def __init__(self, world):
        self.world = world
        self.failures: list[str] = []
        self.requests = 0
        self.clients = {}
        for role, user in world.users.items():
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            self.clients[role] = client

    def relogin(self, role):
        user = self.world.users[role]
        if user is not None:
            self.clients[role].force_login(user)

    def check(self, role, method, url, response, data=None):
        self.requests += 1
        where = f"{role:<11} {method} {url}"
        if data:
            where += f" {sorted(data)[:6]}…" if len(data) > 6 else f" {sorted(data)}"
        if response.status_code >= 500:
            if (role, method, response.resolver_match.view_name) in KNOWN_UNFIXED:
                return
            error = ""
            exc_info = getattr(response, "exc_info", None)
            if exc_info:
                error = f" — {exc_info[0].__name__}: {str(exc_info[1])[:200]}"
            self.failures.append(f"{response.status_code} {where}{error}")
            return
        is_html = "html" in response.get("Content-Type", "")
        if is_html and not response.streaming and SCRIPT.encode() in response.content:
            self.failures.append(f"unescaped <script> echoed: {where}")

    def get(self, role, url, data=None):
        response = self.clients[role].get(url, data or {})
        self.check(role, "GET", url, response, data)
        finish(response)
        return response

    def post(self, role, url, data=None):
        response = self.clients[role].post(url, data or {})
        self.check(role, "POST", url, response, data)
        finish(response)
        self.relogin(role)  # a POST may have signed the user out
        return response

    def report(self) -> str:
        return f"{len(self.failures)} problems in {self.requests} requests:\n" + "\n".join(
            self.failures
        )


def roles_for(name, world):
    return [r for r in world.users if not name.startswith("admin:") or r in ADMIN_ROLES]


def test_every_url_answers_every_role_without_a_server_error(world):
    crawler = Crawler(world)
    unbuilt = []
    answered_200 = []  # (role, name, url): the first URL of each name a role may see
    seen_200 = set()
    for name, url in urls_for(world):
        if url is None:
            unbuilt.append(name)
            continue
        for role in roles_for(name, world):
            response = crawler.get(role, url)
            admin = name.startswith("admin:")
            if response.status_code == 200 and not admin and (role, name) not in seen_200:
                seen_200.add((role, name))
                answered_200.append((role, name, url))
    # Hostile query strings where a role sees the page (elsewhere the query is never read).
    for role, _name, url in answered_200:
        for query in HOSTILE_QUERIES:
            crawler.get(role, url, query)
    assert crawler.failures == [], crawler.report()
    assert unbuilt == [], f"URL patterns the crawler cannot fill: {unbuilt}"
    assert crawler.requests > 1000


def test_hostile_path_parameters_never_give_a_server_error(world):
    crawler = Crawler(world)
    for name, url in hostile_urls_for(world):
        for role in ("anonymous", "learner", "coordinator", "superuser"):
            if name.startswith("admin:") and role not in ADMIN_ROLES:
                continue
            crawler.get(role, url)
    assert crawler.failures == [], crawler.report()
    assert crawler.requests > 300


def test_empty_and_garbage_posts_never_give_a_server_error(world):
    crawler = Crawler(world)
    for name, url in urls_for(world):
        if url is None or name in ("logout", "admin:logout"):
            continue
        for role in roles_for(name, world):
            crawler.post(role, url, GARBAGE_POST)
            if role in ("learner", "coordinator", "superuser"):
                crawler.post(role, url)
    assert crawler.failures == [], crawler.report()
    assert crawler.requests > 1000


def test_hostile_paths_with_posts_never_give_a_server_error(world):
    crawler = Crawler(world)
    for name, url in hostile_urls_for(world):
        if name.startswith("admin:") or name == "logout":
            continue
        for role in ("learner", "coordinator"):
            crawler.post(role, url, GARBAGE_POST)
    assert crawler.failures == [], crawler.report()


# --- findings of the crawler, pinned one by one ------------------------------------------


def test_a_superscript_digit_as_the_preselected_criterion_is_ignored(client, world):
    """`"²".isdigit()` is true but `int("²")` fails: the evidence form used to answer 500."""
    client.force_login(world.users["learner"])
    draft = world.applications["draft"]
    response = client.get(reverse("applications:evidence_add", args=[draft.pk]), {"criterion": "²"})
    assert response.status_code == 200
    assert response.context["form"].initial.get("criteria") is None


def test_a_superuser_setting_someone_elses_credential_visibility_is_refused_not_a_500(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["superuser"])
    credential = world.applications[S.APPROVED].credential
    response = client.post(
        reverse("certificates:set_visibility", args=[credential.public_id]), {"show_name": "1"}
    )
    assert response.status_code in (403, 404)
    credential.refresh_from_db()
    assert credential.show_name is False


@pytest.mark.parametrize(
    ("role", "url_name"),
    [("assessor", "review:queue"), ("coordinator", "review:coordinator_overview")],
)
def test_a_badge_filter_that_is_no_slug_is_refused_and_filters_nothing(
    client, world, role, url_name
):
    """A NUL byte reached the query and PostgreSQL refused it: a 500 on the PostgreSQL pass.
    Now it is a 400 naming the parameter, with the unfiltered list below the message."""
    client.force_login(world.users[role])
    response = client.get(reverse(url_name), {"badge": "a\x00b"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "badge": ["This value contains characters that are not allowed."]
    }
    assert response.context["badge"] == ""
    assert len(response.context["page"].object_list) >= 1


# --- hostile uploads and pasted documents the crawler cannot build -------------------------

DEEP = b"[" * 50_000 + b"]" * 50_000
HOSTILE_JSON_FILES = [
    ("evil.json", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
    ("evil.json", b"\xff\xfe\xfa not utf-8"),
    ("empty.json", b""),
    ("deep.json", DEEP),
    ("deep-object.json", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    ("../../etc/passwd", b"{}"),
    ("a\x00b.json", b"{}"),
    ("a" * 300 + ".json", b"[]"),
    ("nan.json", b'{"slug": NaN, "name": Infinity, "version": 1e999}'),
    ("html.json", b"<html><script>alert(1)</script></html>"),
]


@pytest.mark.parametrize(
    "url_name", ["frameworks:framework_import", "frameworks:constellation_import"]
)
@pytest.mark.parametrize(("filename", "content"), HOSTILE_JSON_FILES)
def test_a_hostile_import_file_is_a_4xx_and_imports_nothing(
    client, world, url_name, filename, content
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from frameworks.models import Constellation, Framework

    before = (Framework.objects.count(), Constellation.objects.count())
    client.raise_request_exception = False
    client.force_login(world.users["coordinator"])
    upload = SimpleUploadedFile(filename, content, content_type="application/json")
    response = client.post(reverse(url_name), {"file": upload})
    assert response.status_code == 400
    assert (Framework.objects.count(), Constellation.objects.count()) == before


def _jwt(payload: bytes) -> str:
    import base64

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return f"{b64(b'{"alg":"EdDSA"}')}.{b64(payload)}.{b64(b'sig')}"


@pytest.mark.parametrize(
    "text",
    [
        '{"a":' * 20_000 + "1" + "}" * 20_000,
        '{"id": 5, "proof": [1, 2]}',
        '{"id": ["x"], "credentialSubject": "x"}',
        '{"id": "https://badges.example.org/ob3/credentials/'
        '00000000-0000-0000-0000-000000000000.json"}',
        _jwt(b"[" * 20_000 + b"]" * 20_000),
        _jwt(b'{"id": {"a": 1}, "jti": 5}'),
        _jwt(b"\xff\xfe"),
        "a.b.c",
        "\x00.\x00.\x00",
        SCRIPT,
    ],
)
def test_a_hostile_pasted_credential_is_a_4xx(client, world, text):
    client.raise_request_exception = False
    response = client.post(reverse("certificates:verify_upload"), {"credential": text})
    assert 400 <= response.status_code < 500
    assert SCRIPT.encode() not in response.content


def test_markup_in_every_review_text_reaches_nobody_unescaped(client, world):
    """Feedback, required changes and the reason, written with <script> and onerror, are
    shown as text to the learner, the assessor and the auditor."""
    application = world.applications[S.IN_REVIEW]
    assessor = world.users["assessor"]
    hostile = f'{SCRIPT}<img src=x onerror="alert(2)">'
    data = {
        "overall_feedback": hostile,
        "reason": hostile,
        "recommendation": "request_changes",
        "action": "submit",
    }
    for criterion in application.badge_version.criteria.all():
        data[f"outcome_{criterion.pk}"] = "not_yet"
        data[f"feedback_{criterion.pk}"] = hostile
        data[f"changes_{criterion.pk}"] = f"{hostile}\n{hostile}"
    client.force_login(assessor)
    response = client.post(reverse("review:review", args=[application.pk]), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.CHANGES_REQUESTED
    review = application.rounds.get(number=1).reviews.get(assessor=assessor)
    pages = [
        (assessor, reverse("applications:detail", args=[application.pk])),
        (world.users["learner"], reverse("applications:detail", args=[application.pk])),
        (world.users["learner"], reverse("applications:round_detail", args=[application.pk, 1])),
        (world.users["auditor"], reverse("quality:review_detail", args=[review.pk])),
        (world.users["coordinator"], reverse("applications:detail", args=[application.pk])),
    ]
    for user, url in pages:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"<script>alert" not in response.content, url
        assert b'onerror="alert' not in response.content, url
        assert b"&lt;script&gt;alert" in response.content, url
