"""The states that matter, in a real browser: forms sent back with errors and pages showing a
message pass axe, and the first error takes the keyboard focus."""

from core.roles import Role
from tests.browser.conftest import PHONE, axe_violations
from tests.factories.core import UserFactory
from tests.factories.frameworks import ConstellationFactory


def focused(page) -> dict:
    return page.evaluate(
        """() => ({tag: document.activeElement.tagName.toLowerCase(),
                   name: document.activeElement.getAttribute("name") || "",
                   cls: document.activeElement.className || ""})"""
    )


def test_a_wrong_password_focuses_the_message_and_passes_axe(site, db):
    UserFactory(email="lena@example.org")
    page = site.page
    site.open("/accounts/login/")
    page.get_by_label("Email").fill("lena@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    assert page.locator(".form-errors").is_visible()
    assert "form-errors" in focused(page)["cls"]
    assert axe_violations(page) == []


def test_an_invalid_field_takes_the_focus_at_phone_width(site, db):
    page = site.page
    page.set_viewport_size(PHONE)
    site.open("/accounts/password-reset/")
    page.get_by_label("Email").fill("not an address")
    page.get_by_role("button", name="Send").click()

    field = page.get_by_label("Email")
    assert field.get_attribute("aria-invalid") == "true"
    assert focused(page)["name"] == "email"
    assert axe_violations(page) == []


def test_a_coordinators_empty_form_and_the_message_after_saving_pass_axe(site, db):
    cora = UserFactory(roles=[Role.COORDINATOR])
    constellation = ConstellationFactory(coordinators=[cora])
    site.sign_in(cora)
    page = site.page

    site.open(f"/frameworks/constellations/{constellation.slug}/badges/new/")
    page.locator("main form button[type=submit]").last.click()
    assert page.locator("main [aria-invalid='true']").count() >= 1
    assert focused(page)["tag"] in {"input", "select", "textarea"}
    assert axe_violations(page) == []

    site.open("/accounts/profile/")
    page.locator("main form button[type=submit]").first.click()
    assert page.locator(".messages .message-success").is_visible()
    assert axe_violations(page) == []
