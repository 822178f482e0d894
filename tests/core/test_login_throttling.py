"""Sign-in throttling counts one account however its address is spelt, and believes only the
proxies the deployment states (TRUSTED_PROXY_COUNT); `check --deploy` warns until it does."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core.checks import TRUSTED_PROXY_COUNT_UNSET
from core.models import User
from tests.factories.core import UserFactory
from tests.tools.settings_loader import load_settings

PASSWORD = "correct horse battery staple"
LIMIT = settings.AXES_FAILURE_LIMIT
# Six spellings of one address: case, spaces, full-width letters (NFKC), the long s (NFKC).
SPELLINGS = [
    "tomas@example.org",
    "Tomas@example.org",
    "TOMAS@EXAMPLE.ORG",
    "  tomas@example.org ",
    "\uff54\uff4f\uff4d\uff41\uff53@example.org",
    "toma\u017f@Example.Org",
]
PROXY = "10.0.0.2"  # REMOTE_ADDR: the proxy, or the client itself without one
CLIENT = "203.0.113.9"  # the address the (one) proxy appends to X-Forwarded-For


@pytest.fixture
def tomas(db):
    return UserFactory(email="tomas@example.org", display_name="Tomas")


def sign_in(client, email, password, **extra):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=PROXY, **extra
    )


def test_every_spelling_of_the_address_signs_in_to_the_same_account(client, tomas):
    for spelling in SPELLINGS:
        response = sign_in(client, spelling, PASSWORD)

        assert response.status_code == 302, spelling
        assert client.session["_auth_user_id"] == str(tomas.pk)
        client.post(reverse("logout"))


def test_thirty_guesses_over_six_spellings_lock_after_the_limit(client, tomas):
    statuses = [
        sign_in(client, SPELLINGS[attempt % len(SPELLINGS)], f"guess {attempt}").status_code
        for attempt in range(30)
    ]

    assert statuses == [200] * (LIMIT - 1) + [429] * (30 - LIMIT + 1)


def test_a_locked_account_stays_locked_under_every_spelling(client, tomas):
    for _attempt in range(LIMIT):
        sign_in(client, "tomas@example.org", "wrong")

    answers = {spelling: sign_in(client, spelling, PASSWORD).status_code for spelling in SPELLINGS}

    assert answers == dict.fromkeys(SPELLINGS, 429)
    assert "_auth_user_id" not in client.session


def test_an_address_stored_in_mixed_case_signs_in_and_is_throttled_as_one(client, db):
    # Accounts created before addresses were stored in lower case keep working.
    person = UserFactory(email="Tomas@Example.org")

    assert sign_in(client, "tomas@example.org", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
    client.post(reverse("logout"))
    statuses = [sign_in(client, s, "wrong").status_code for s in SPELLINGS[: LIMIT + 1]]
    assert statuses == [200] * (LIMIT - 1) + [429] * 2


def test_new_accounts_store_the_address_in_one_spelling(db):
    person = User.objects.create_user(" \uff34omas@Example.ORG ", PASSWORD, display_name="T")

    assert person.email == "tomas@example.org"


def test_accounts_differing_only_in_case_are_not_confused(client, db):
    lower = UserFactory(email="ana@example.org")
    upper = UserFactory(email="ANA@example.org")

    assert User.objects.get_by_natural_key("ana@example.org") == lower
    assert User.objects.get_by_natural_key("ANA@example.org") == upper
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key("Ana@example.org")


@pytest.mark.parametrize("proxies", [None, 0])
def test_without_a_proxy_a_spoofed_forwarded_for_neither_dodges_nor_lifts_the_lock(
    client, tomas, settings, proxies
):
    settings.TRUSTED_PROXY_COUNT = proxies
    statuses = [
        sign_in(
            client, "tomas@example.org", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(LIMIT + 2)
    ]

    assert statuses == [200] * (LIMIT - 1) + [429] * 3
    retry = sign_in(client, "tomas@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert retry.status_code == 429
    assert sign_in(client, "tomas@example.org", PASSWORD).status_code == 429


def test_behind_one_proxy_only_the_address_it_appended_counts(client, tomas, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sends any X-Forwarded-For it likes; the proxy appends the real address.
    statuses = [
        sign_in(
            client, "tomas@example.org", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, {CLIENT}"
        ).status_code
        for n in range(LIMIT + 2)
    ]

    assert statuses == [200] * (LIMIT - 1) + [429] * 3
    for spoofed in ["192.0.2.200, ", "", "not-an-address, ", "10.0.0.9, 192.0.2.1, "]:
        retry = sign_in(
            client, "Tomas@example.org", PASSWORD, HTTP_X_FORWARDED_FOR=f"{spoofed}{CLIENT}"
        )
        assert retry.status_code == 429, spoofed
    # Another client behind the same proxy is not locked out.
    other = sign_in(
        client, "tomas@example.org", PASSWORD, HTTP_X_FORWARDED_FOR=f"{CLIENT}, 198.51.100.4"
    )
    assert other.status_code == 302


def _proxy_warnings():
    return [
        message
        for message in run_checks(include_deployment_checks=True)
        if message.id == TRUSTED_PROXY_COUNT_UNSET
    ]


def test_the_deploy_check_warns_while_the_proxy_count_is_unset(settings):
    settings.TRUSTED_PROXY_COUNT = None

    warnings = _proxy_warnings()

    assert len(warnings) == 1
    assert warnings[0].level == 30
    assert warnings[0].msg == (
        "TRUSTED_PROXY_COUNT is not set, so no proxy is believed: sign-in throttling counts "
        "failures per connecting address and ignores X-Forwarded-For."
    )
    assert "1 for one nginx, Caddy or load balancer; 0 when clients connect directly" in (
        warnings[0].hint
    )


@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_the_deploy_check_is_quiet_once_the_proxy_count_is_stated(settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert _proxy_warnings() == []


def test_the_proxy_check_runs_only_for_deployment(settings):
    settings.TRUSTED_PROXY_COUNT = None

    assert [m for m in run_checks() if m.id == TRUSTED_PROXY_COUNT_UNSET] == []


PRODUCTION = {
    "SECRET_KEY": "kq3ZrB7uXw2mVt9LpYc4Hs8NdEa6GjRf1oTiUyQe5PlKzMxWvCbAnJgFhDsOr0S",
    "DATABASE_URL": "sqlite://:memory:",
    "ALLOWED_HOSTS": "badges.example.org",
    "SITE_URL": "https://badges.example.org",
    "AUDIT_CHECKPOINT_KEY_FILE": "/run/secrets/audit-checkpoint-key.pem",
}


def _deploy_check(environ):
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**keep, "DJANGO_SETTINGS_MODULE": "config.settings.production", **environ},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_check_deploy_names_the_unset_proxy_count_and_passes_once_stated():
    unset = _deploy_check(PRODUCTION)
    stated = _deploy_check({**PRODUCTION, "TRUSTED_PROXY_COUNT": "0"})

    assert unset.returncode == 1
    assert f"({TRUSTED_PROXY_COUNT_UNSET}) TRUSTED_PROXY_COUNT is not set" in unset.stderr
    assert (stated.returncode, stated.stderr) == (0, "")
    assert "System check identified no issues" in stated.stdout


def test_production_assumes_no_proxy_unless_told():
    assert load_settings("production", PRODUCTION).TRUSTED_PROXY_COUNT is None
    assert (
        load_settings("production", {**PRODUCTION, "TRUSTED_PROXY_COUNT": "0"}).TRUSTED_PROXY_COUNT
        == 0
    )
    assert (
        load_settings(
            "production", {**PRODUCTION, "TRUSTED_PROXY_COUNT": " 2 "}
        ).TRUSTED_PROXY_COUNT
        == 2
    )


@pytest.mark.parametrize("value", ["one", "-1", "1.5", "\u00b2"])
def test_a_proxy_count_that_is_not_a_whole_number_stops_the_start(value):
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT must be a whole number"):
        load_settings("production", {**PRODUCTION, "TRUSTED_PROXY_COUNT": value})


def _production_setting(name, environ):
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(repr(getattr(settings, {name!r}, None)))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**keep, "DJANGO_SETTINGS_MODULE": "config.settings.production", **environ},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_forwarded_proto_is_believed_only_behind_a_stated_proxy():
    assert _production_setting("SECURE_PROXY_SSL_HEADER", PRODUCTION) == "None"
    assert (
        _production_setting("SECURE_PROXY_SSL_HEADER", {**PRODUCTION, "TRUSTED_PROXY_COUNT": "0"})
        == "None"
    )
    assert (
        _production_setting("SECURE_PROXY_SSL_HEADER", {**PRODUCTION, "TRUSTED_PROXY_COUNT": "1"})
        == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
