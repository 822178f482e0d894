"""WCAG 2.1 AA in a real browser: axe-core finds no violation on any page a person can reach,
for every role, at desktop and phone widths — and nothing sticks out sideways at 390 px."""

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, axe_violations, horizontal_overflow
from tests.factories.certificates import IssuerFactory, issued_credential
from tests.factories.core import UserFactory


def reachable_pages(site) -> list[str]:
    """The home page, every navigation entry, and the first page below each (as a person
    clicking through would find them)."""
    page = site.page
    site.open("/")
    nav = [a.get_attribute("href") for a in page.locator("nav.main-nav a").all()]
    paths = ["/", *[href.removeprefix(site.url) for href in nav]]
    below = []
    for path in paths[1:]:
        site.open(path)
        hrefs = [a.get_attribute("href") or "" for a in page.locator("main a").all()]
        first = next((h for h in hrefs if re.fullmatch(rf"{re.escape(path)}[^#?]+/", h)), None)
        if first:
            below.append(first)
    return paths + below


def problems_on(site, paths, widths=(DESKTOP, PHONE)) -> list[str]:
    found = []
    for width in widths:
        site.page.set_viewport_size(width)
        for path in paths:
            response = site.open(path)
            if response.status != 200:
                found.append(f"{path} at {width['width']} px: HTTP {response.status}")
                continue
            found += [f"{path} at {width['width']} px: {v}" for v in axe_violations(site.page)]
            if overflow := horizontal_overflow(site.page):
                found.append(f"{path} at {width['width']} px: {overflow}")
    return found


PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/password-reset/",
    "/frameworks/catalogue/",
    "/credentials/verify/",
]


@pytest.fixture
def credential(scenario):
    """A signed credential held by the scenario's first learner."""
    IssuerFactory()
    return issued_credential(learner=scenario.apps[1].learner)


def test_public_pages(site, credential):
    paths = [*PUBLIC_PAGES, f"/credentials/{credential.public_id}/"]
    problems = problems_on(site, paths)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["learner", "assessor", "coordinator", "auditor"])
def test_every_page_of_each_role(site, scenario, credential, auditor, role):
    person = {
        "learner": scenario.apps[1].learner,
        "assessor": scenario.ada,
        "coordinator": scenario.cora,
        "auditor": auditor,
    }[role]
    site.sign_in(person)
    paths = reachable_pages(site)
    assert len(paths) >= 4
    problems = problems_on(site, paths)
    assert not problems, "\n".join(problems)


def test_a_person_with_nothing_yet_sees_empty_pages_without_violations(site, db):
    newcomer = UserFactory(display_name="Nina Newcomer")
    site.sign_in(newcomer)
    problems = problems_on(site, reachable_pages(site))
    assert not problems, "\n".join(problems)
