"""Real-browser tests: Playwright drives the system's Chromium against the app served by
pytest-django's live server (its own database, like every test).

- The browser is the one installed on the machine (Debian's `chromium`; or the path in the
  CHROMIUM environment variable). Playwright's own browser download is never used.
- Without Chromium the tests skip with the reason — except under CI=true, where a skip of a
  `browser` test fails the run (tests/conftest.py).
- axe-core (pinned in package.json, installed by `make`) checks each page against WCAG 2.1
  A and AA; without node_modules/axe-core the accessibility checks skip the same way.
- On failure pytest-playwright keeps a screenshot under test-results/ (see pyproject.toml).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import sync_playwright

from tests.quality.conftest import scenario  # noqa: F401 - a known history, reused here

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium_executable() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = chromium_executable()
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium, or set CHROMIUM)")
    # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
    return {**browser_type_launch_args, "executable_path": executable, "args": ["--no-sandbox"]}


@pytest.fixture(scope="package")
def browser_context_args(base_url):
    # axe-core is injected as a script; the app's Content-Security-Policy (rightly) forbids
    # that, so the test browser alone bypasses it.
    return {"base_url": base_url, "viewport": DESKTOP, "bypass_csp": True, "locale": "en-GB"}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative addresses in page.goto() are the live server's (this also stands in for the
    optional pytest-base-url plugin)."""
    return live_server.url


# Playwright, and the browser it drives, live for this package only (pytest-playwright keeps
# them for the whole session): while Playwright runs, an event loop runs in this thread, and
# Django's per-thread state (the database connection) is then kept per task instead — the
# tests that follow in the same process must find the thread as it was.


@pytest.fixture(scope="package")
def playwright(django_db_setup, live_server, _pw_api_request_contexts):
    """Playwright starts after the test database and the live server exist.

    Its sync API keeps an event loop running in this thread, in which Django refuses
    database work; the tests' own ORM calls (factories, flushing the database after each
    test) are still synchronous and safe, so while it runs Django is told to allow them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        pw = sync_playwright().start()
        if _pw_api_request_contexts:
            _pw_api_request_contexts.instrument(pw)
        yield pw
        pw.stop()


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture
def site(live_server, page, settings):
    """The app on a loopback port, and a way to sign a person in and open pages."""
    settings.SITE_URL = live_server.url
    return Site(live_server.url, page)


class Site:
    def __init__(self, url: str, page):
        self.url = url
        self.page = page

    def sign_in(self, user) -> None:
        """A session for `user`, as after a sign-in (the sign-in form has its own test)."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        self.page.context.clear_cookies()
        self.page.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": self.url}]
        )

    def open(self, path: str):
        response = self.page.goto(self.url + path)
        assert response is not None
        return response


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A/AA violations axe-core finds on the page, one line per failing element."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (run `make node`: npm ci)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
               runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
               resultTypes: ['violations']})"""
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} — {node['failureSummary']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


def horizontal_overflow(page) -> str:
    """What sticks out of the window sideways ("" when nothing does): the page's excess width
    and the outermost elements reaching past the right edge."""
    return page.evaluate(
        """() => {
            const excess = document.documentElement.scrollWidth - window.innerWidth;
            if (excess <= 0) return "";
            const sticking = [...document.body.querySelectorAll("*")].filter(el => {
                if (el.getBoundingClientRect().right <= window.innerWidth + 1) return false;
                for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                    if (up.getBoundingClientRect().right > window.innerWidth + 1) return false;
                    if (getComputedStyle(up).overflowX !== "visible") return false;
                }
                return true;
            });
            const names = sticking.slice(0, 5).map(el =>
                el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
            return `${excess} px wider than the window: ${names.join(", ")}`;
        }"""
    )
