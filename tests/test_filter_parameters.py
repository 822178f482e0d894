"""URL parameters at the limits of their type, against every filter, list and export
endpoint, on SQLite and PostgreSQL alike: each is answered with a 400 and a message naming
the problem (a form error), never a 500, and a CSV export is refused before its first byte.

The parameters are parsed and bounded in one place (`core.params`): dates between
1900-01-01 and 2999-12-31, integers within the database's range, page numbers from 1,
text without NUL or other control characters, each single-valued parameter given once.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.params import DATE_MAX, DATE_MIN
from core.roles import Role
from tests.factories.core import UserFactory
from tests.factories.frameworks import ConstellationFactory, published_badge_version

pytestmark = pytest.mark.django_db

LONG = "a" * 5000
HUGE = "9" * 5000

# (parameter, raw value as it appears in the query string, percent-encoded where needed)
DATE_CORPUS = [
    "0001-01-01",
    "9999-12-31",
    "0000-01-01",
    "10000-01-01",
    "1899-12-31",
    "3000-01-01",
    "2024-02-30",
    "-2024-01-01",
    "20240101" + "0" * 100,
    LONG,
    "2024-01-01%00",
    "%00",
    "%ED%A0%80",  # a lone surrogate (U+D800) in UTF-8
    "%FF%FE",  # not UTF-8
]
INTEGER_CORPUS = [
    "-1",
    "0",
    HUGE,
    "-" + HUGE,
    "9223372036854775808",
    "2147483648",
    "1e9",
    "abc",
    "%EF%BC%91",  # a fullwidth digit one
    "1%00",
    LONG,
]
TEXT_CORPUS = [LONG, "%00", "a%00b", "%1B[31m", "%ED%A0%80", "%FF"]


def _queries(parameter, corpus):
    return [f"{parameter}={value}" for value in corpus]


DATE_QUERIES = _queries("date_from", DATE_CORPUS) + _queries("date_to", DATE_CORPUS)
REPEATED = ["date_to=2026-01-01&date_to=2026-02-01", "page=1&page=2"]


@pytest.fixture
def people(db):
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    assessor = UserFactory(roles=[Role.ASSESSOR])
    constellation = ConstellationFactory(
        slug="limits", coordinators=[coordinator], assessors=[assessor]
    )
    published_badge_version(criteria=1, badge__constellation=constellation, badge__slug="b")
    return {
        "auditor": UserFactory(roles=[Role.AUDITOR]),
        "coordinator": coordinator,
        "assessor": assessor,
        "constellation": constellation,
    }


QUALITY_LISTS = [
    "/quality/report/",
    "/quality/report.json",
    "/quality/records/applications/",
    "/quality/records/rounds/",
    "/quality/records/reviews/",
    "/quality/records/judgements/",
    "/quality/records/conflicts/",
    "/quality/records/credentials/",
    "/quality/records/constellations/",
    "/quality/records/badge-versions/",
    "/quality/exports/applications.csv",
    "/quality/exports/judgements.csv",
    "/quality/exports/credentials.csv",
]
FILTERED = [*QUALITY_LISTS, "/quality/audit-trail/"]
PAGINATED = [
    "/quality/audit-trail/",
    "/quality/exports/",
    *[url for url in QUALITY_LISTS if "/records/" in url],
]
QUALITY_INTEGERS = ["badge", "assessor"]
QUALITY_CHOICES = ["constellation", "cohort", "state"]
AUDIT_TEXT = ["action", "object_type", "object_id"]


def _get(client, url, query):
    response = client.get(f"{url}?{query}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode("utf-8", "replace")


def _assert_refused(response, body, url, query):
    assert response.status_code == 400, (url, query[:80], response.status_code)
    assert not response.streaming, (url, query[:80])
    assert body.strip(), (url, query[:80])


@pytest.mark.parametrize("url", FILTERED)
def test_dates_beyond_their_bounds_are_refused_with_a_message(client, people, url):
    client.force_login(people["auditor"])
    for query in [*DATE_QUERIES, "date_to=2026-01-01&date_to=2026-02-01"]:
        response, body = _get(client, url, query)
        _assert_refused(response, body, url, query)


@pytest.mark.parametrize("url", QUALITY_LISTS)
def test_hostile_integers_and_choices_are_refused_with_a_message(client, people, url):
    client.force_login(people["auditor"])
    queries = [
        *(q for name in QUALITY_INTEGERS for q in _queries(name, INTEGER_CORPUS)),
        *(q for name in QUALITY_CHOICES for q in _queries(name, TEXT_CORPUS)),
        "state=approved&state=rejected",
    ]
    for query in queries:
        response, body = _get(client, url, query)
        _assert_refused(response, body, url, query)


def test_hostile_audit_trail_filters_are_refused_with_a_message(client, people):
    client.force_login(people["auditor"])
    for query in [q for name in AUDIT_TEXT for q in _queries(name, TEXT_CORPUS)]:
        response, body = _get(client, "/quality/audit-trail/", query)
        _assert_refused(response, body, "/quality/audit-trail/", query)


@pytest.mark.parametrize("url", PAGINATED)
def test_hostile_page_numbers_are_refused_with_a_message(client, people, url):
    client.force_login(people["auditor"])
    for query in [*_queries("page", INTEGER_CORPUS), "page=1&page=2"]:
        response, body = _get(client, url, query)
        _assert_refused(response, body, url, query)


@pytest.mark.parametrize(
    ("who", "url"), [("assessor", "/review/"), ("coordinator", "/review/coordinator/")]
)
def test_hostile_review_list_parameters_are_refused_with_a_message(client, people, who, url):
    client.force_login(people[who])
    queries = [
        *_queries("page", INTEGER_CORPUS),
        *_queries("state", TEXT_CORPUS),
        *_queries("badge", TEXT_CORPUS),
        "state=nonsense",
        "page=1&page=2",
        "state=submitted&state=approved",
    ]
    if who == "assessor":
        queries += [*_queries("sort", TEXT_CORPUS), "sort=nonsense"]
    for query in queries:
        response, body = _get(client, url, query)
        _assert_refused(response, body, url, query)


def test_hostile_catalogue_filters_are_refused_with_a_message(client, people):
    client.force_login(people["assessor"])
    queries = [
        *_queries("constellation", TEXT_CORPUS),
        "constellation=../../etc",
        "constellation=limits&constellation=other",
    ]
    for query in queries:
        response, body = _get(client, "/frameworks/catalogue/", query)
        _assert_refused(response, body, "/frameworks/catalogue/", query)
        assert "These filters are not valid:" in body

    response, body = _get(client, "/frameworks/catalogue/", "constellation=limits")
    assert response.status_code == 200


@pytest.mark.parametrize("url", FILTERED)
def test_the_outermost_dates_still_work(client, people, url):
    client.force_login(people["auditor"])
    query = f"date_from={DATE_MIN.isoformat()}&date_to={DATE_MAX.isoformat()}"
    if url.endswith(".csv"):
        client.force_login(people["coordinator"])
        query += "&constellation=limits"

    response, body = _get(client, url, query)

    assert response.status_code == 200, (url, body[:300])


def test_the_date_bounds_are_a_wide_window():
    assert (date(1900, 1, 1), date(2999, 12, 31)) == (DATE_MIN, DATE_MAX)


def test_the_date_error_names_the_bounds(client, people):
    client.force_login(people["auditor"])

    response = client.get("/quality/report/?date_to=9999-12-31")

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "date_to": ["Enter a date between 1900-01-01 and 2999-12-31."]
    }


def test_a_refused_csv_export_answers_before_any_byte_of_csv(client, people):
    client.force_login(people["coordinator"])

    response = client.get(
        "/quality/exports/applications.csv?constellation=limits&date_to=9999-12-31"
    )

    assert response.status_code == 400
    assert not response.streaming
    assert response["Content-Type"].startswith("text/plain")
    assert "date_to: Enter a date between 1900-01-01 and 2999-12-31." in response.content.decode()


def test_a_csv_export_runs_its_query_before_the_response_starts(client, people):
    client.force_login(people["coordinator"])

    with CaptureQueriesContext(connection) as before_any_byte:
        response = client.get("/quality/exports/applications.csv?constellation=limits")

    assert response.status_code == 200
    assert response.streaming
    assert any(
        'FROM "applications_application"' in query["sql"]
        for query in before_any_byte.captured_queries
    )
    assert b"".join(response.streaming_content).decode().count("\n") == 1  # the header only
