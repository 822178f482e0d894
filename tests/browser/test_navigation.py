"""The navigation in a real browser: one line on a desktop for a person with several roles
in the language with the longest words, and a menu behind a button on a phone."""

import pytest
from django.test import Client

from core.roles import Role
from tests.browser.conftest import DESKTOP, PHONE, horizontal_overflow
from tests.factories.core import UserFactory


def tops_of_nav_links(page) -> set[int]:
    return {
        round(box["y"]) for a in page.locator("nav.main-nav a").all() if (box := a.bounding_box())
    }


@pytest.mark.parametrize(
    "roles", [(Role.COORDINATOR, Role.ASSESSOR), (Role.LEARNER, Role.ASSESSOR)], ids=str
)
def test_two_roles_in_danish_and_finnish_fit_on_one_line(site, db, roles):
    person = UserFactory(roles=list(roles))
    for language in ("da", "fi"):
        person.preferred_language = language
        person.save(update_fields=["preferred_language"])
        site.sign_in(person)
        site.page.set_viewport_size(DESKTOP)
        site.open("/")
        assert site.page.locator("html").get_attribute("lang") == language
        assert site.page.locator("nav.main-nav a").count() >= 5
        assert len(tops_of_nav_links(site.page)) == 1
        assert horizontal_overflow(site.page) == ""


def test_on_a_phone_the_menu_opens_and_closes_from_the_keyboard(site, db):
    person = UserFactory(roles=[Role.LEARNER, Role.ASSESSOR], preferred_language="fi")
    site.sign_in(person)
    page = site.page
    page.set_viewport_size(PHONE)
    site.open("/")
    toggle = page.get_by_role("button", name="Valikko")
    nav = page.get_by_role("navigation", name="Päävalikko")

    assert toggle.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    assert horizontal_overflow(page) == ""

    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()
    # Every entry is on its own line, none cut off.
    boxes = [a.bounding_box() for a in nav.locator("a").all()]
    assert len({round(box["y"]) for box in boxes}) == len(boxes)
    assert all(box["x"] + box["width"] <= PHONE["width"] for box in boxes)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('nav') !== null")

    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('menu-toggle')")


def test_without_scripts_the_phone_menu_is_simply_open(browser, live_server, db):
    person = UserFactory(roles=[Role.LEARNER])
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        client = Client()
        client.force_login(person)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert page.locator("nav.main-nav").is_visible()
        assert not page.locator(".menu-toggle").is_visible()
    finally:
        context.close()
