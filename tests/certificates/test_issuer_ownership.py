"""Issuers belong to their owners, as constellations to their coordinators: a coordinator
reaches the issuers they own, those awarding their constellations and the default (others
are a 404), changes only those they own (else 403), and attaches to an issuer only the
constellations they coordinate."""

import importlib

import pytest
from django.apps import apps as django_apps

from certificates.models import Issuer
from certificates.services import issuer_save
from core.errors import PermissionDeniedError
from core.roles import Role
from tests.factories.certificates import IssuerFactory
from tests.factories.core import UserFactory
from tests.factories.frameworks import ConstellationFactory

pytestmark = pytest.mark.django_db


def _issuer(name, *, owners=(), constellations=(), is_default=False):
    issuer = IssuerFactory(name=name, is_default=is_default, with_keys=False)
    issuer.owners.set(owners)
    issuer.constellations.set(constellations)
    return issuer


@pytest.fixture
def world(db):
    alice = UserFactory(roles=[Role.COORDINATOR], display_name="Alice")
    bob = UserFactory(roles=[Role.COORDINATOR], display_name="Bob")
    carol = UserFactory(roles=[Role.COORDINATOR], display_name="Carol")
    mine = ConstellationFactory(name="Alice's", coordinators=[alice])
    theirs = ConstellationFactory(name="Bob's", coordinators=[bob])
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "learner": UserFactory(roles=[Role.LEARNER]),
        "assessor": UserFactory(roles=[Role.ASSESSOR]),
        "auditor": UserFactory(roles=[Role.AUDITOR]),
        "mine": mine,
        "theirs": theirs,
        "own": _issuer("Alice Academy", owners=[alice], constellations=[mine]),
        "foreign": _issuer("Bob Academy", owners=[bob], constellations=[theirs]),
        "default": _issuer("Carol Academy", owners=[carol], is_default=True),
    }


def _post_data(issuer, **changes):
    data = {
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "country_code": issuer.country_code,
        "region": issuer.region,
        "description": issuer.description,
        "owners": [o.pk for o in issuer.owners.all()],
        "constellations": [c.pk for c in issuer.constellations.all()],
    }
    if issuer.is_default:
        data["is_default"] = "on"
    data.update(changes)
    return data


# who -> (list, new, edit own, edit foreign, edit default)
EXPECTED = {
    "alice": (200, 200, 200, 404, 403),
    "auditor": (200, 403, 403, 403, 403),
    "learner": (403, 403, 403, 403, 403),
    "assessor": (403, 403, 403, 403, 403),
    "anonymous": (302, 302, 302, 302, 302),
}


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_role_against_every_issuer_url(client, world, who, method):
    if who != "anonymous":
        client.force_login(world[who])
    urls = [
        "/issuers/",
        "/issuers/new/",
        f"/issuers/{world['own'].public_id}/edit/",
        f"/issuers/{world['foreign'].public_id}/edit/",
        f"/issuers/{world['default'].public_id}/edit/",
    ]
    names_before = dict(Issuer.objects.values_list("pk", "name"))
    statuses = []
    for url in urls:
        if method == "get" or url == "/issuers/":
            statuses.append(client.get(url).status_code)
        else:
            # An incomplete body: an allowed person gets the form back (400), nothing saved.
            statuses.append(client.post(url, {"name": "Renamed"}).status_code)

    expected = list(EXPECTED[who])
    if method == "post":
        expected = [expected[0]] + [400 if s == 200 else s for s in expected[1:]]
    assert statuses == expected
    assert dict(Issuer.objects.values_list("pk", "name")) == names_before
    assert Issuer.objects.count() == 3


def test_a_coordinator_cannot_rename_another_coordinators_issuer(client, world):
    client.force_login(world["alice"])

    response = client.post(
        f"/issuers/{world['foreign'].public_id}/edit/",
        _post_data(world["foreign"], name="Hijacked", owners=[world["alice"].pk]),
    )

    assert response.status_code == 404
    world["foreign"].refresh_from_db()
    assert world["foreign"].name == "Bob Academy"
    assert list(world["foreign"].owners.all()) == [world["bob"]]


def test_a_coordinator_cannot_attach_another_coordinators_constellation(client, world):
    client.force_login(world["alice"])

    response = client.post(
        f"/issuers/{world['own'].public_id}/edit/",
        _post_data(world["own"], constellations=[world["mine"].pk, world["theirs"].pk]),
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["constellations"]
    assert list(world["own"].constellations.all()) == [world["mine"]]
    assert list(world["theirs"].issuers.all()) == [world["foreign"]]


def test_the_service_refuses_what_the_form_does_not_offer(world):
    with pytest.raises(PermissionDeniedError):
        issuer_save(actor=world["alice"], issuer=world["foreign"])
    with pytest.raises(PermissionDeniedError):
        issuer_save(actor=world["alice"], issuer=world["own"], constellations=[world["theirs"]])

    assert list(world["own"].constellations.all()) == [world["mine"]]


def test_the_owner_sees_and_edits_their_issuer(client, world):
    client.force_login(world["alice"])

    response = client.post(
        f"/issuers/{world['own'].public_id}/edit/",
        _post_data(world["own"], name="Alice & Co Academy"),
    )

    assert response.status_code == 302
    world["own"].refresh_from_db()
    assert world["own"].name == "Alice & Co Academy"
    assert list(world["own"].constellations.all()) == [world["mine"]]


def test_saving_keeps_the_constellations_other_coordinators_attached(client, world):
    world["own"].constellations.add(world["theirs"])
    client.force_login(world["alice"])

    response = client.post(
        f"/issuers/{world['own'].public_id}/edit/",
        _post_data(world["own"], constellations=[]),
    )

    assert response.status_code == 302
    assert list(world["own"].constellations.all()) == [world["theirs"]]


def test_only_the_default_issuers_owner_changes_the_default(client, world):
    client.force_login(world["alice"])

    response = client.post(
        f"/issuers/{world['own'].public_id}/edit/", _post_data(world["own"], is_default="on")
    )

    assert response.status_code == 302
    assert list(Issuer.objects.filter(is_default=True)) == [world["default"]]
    with pytest.raises(PermissionDeniedError):
        world["own"].is_default = True
        issuer_save(actor=world["alice"], issuer=world["own"])
    assert list(Issuer.objects.filter(is_default=True)) == [world["default"]]


def test_a_new_issuer_belongs_to_its_creator(client, world):
    client.force_login(world["bob"])

    response = client.post(
        "/issuers/new/",
        {
            "name": "Bob's Second",
            "url": "https://second.example.org",
            "email": "second@example.org",
            "country_code": "DE",
            "constellations": [world["theirs"].pk],
        },
    )

    assert response.status_code == 302
    created = Issuer.objects.get(name="Bob's Second")
    assert list(created.owners.all()) == [world["bob"]]
    assert list(created.constellations.all()) == [world["theirs"]]


def test_the_list_names_only_the_coordinators_own_constellations(client, world):
    world["default"].constellations.set([world["mine"], world["theirs"]])
    client.force_login(world["alice"])

    html = client.get("/issuers/").content.decode()

    assert "Alice Academy" in html
    assert "Carol Academy" in html
    assert "Bob Academy" not in html
    assert "Bob&#x27;s" not in html
    assert "1 constellation of other coordinators" in html
    assert html.count(f"/issuers/{world['own'].public_id}/edit/") == 1
    assert f"/issuers/{world['default'].public_id}/edit/" not in html


def test_existing_issuers_are_given_the_coordinators_who_use_them(db):
    migration = importlib.import_module("certificates.migrations.0006_issuer_owners")
    alice = UserFactory(roles=[Role.COORDINATOR])
    bob = UserFactory(roles=[Role.COORDINATOR])
    UserFactory(roles=[Role.LEARNER])
    named = ConstellationFactory(coordinators=[alice])
    ConstellationFactory(coordinators=[bob])  # named by no issuer: the default awards it
    awarding = _issuer("Awarding", constellations=[named])
    default = _issuer("Default", is_default=True)
    idle = IssuerFactory(name="Idle", is_default=False, with_keys=False)

    migration.assign_owners(django_apps, None)

    assert list(awarding.owners.all()) == [alice]
    assert list(default.owners.all()) == [bob]
    assert sorted(idle.owners.values_list("pk", flat=True)) == sorted([alice.pk, bob.pk])


@pytest.mark.parametrize("extra", [0, 3])
def test_the_issuer_list_costs_the_same_for_one_or_many_issuers(
    client, world, extra, django_assert_num_queries
):
    for index in range(extra):
        constellation = ConstellationFactory(coordinators=[world["alice"]])
        _issuer(f"More {index}", owners=[world["alice"]], constellations=[constellation])
    client.force_login(world["alice"])
    client.get("/issuers/")  # warm the session

    with django_assert_num_queries(9):
        response = client.get("/issuers/")

    assert response.status_code == 200
    assert response.content.decode().count("/edit/") == 1 + extra


def test_an_issuer_awarding_the_coordinators_constellation_is_visible_but_not_theirs(client, world):
    world["foreign"].constellations.add(world["mine"])
    client.force_login(world["alice"])

    listing = client.get("/issuers/").content.decode()
    response = client.post(
        f"/issuers/{world['foreign'].public_id}/edit/",
        _post_data(world["foreign"], name="Hijacked"),
    )

    assert "Bob Academy" in listing
    assert f"/issuers/{world['foreign'].public_id}/edit/" not in listing
    assert response.status_code == 403
    world["foreign"].refresh_from_db()
    assert world["foreign"].name == "Bob Academy"
