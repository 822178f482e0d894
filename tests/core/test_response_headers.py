"""Every response forbids the browser features the site never uses (Permissions-Policy)."""

import pytest
from django.urls import reverse

from core.middleware import PERMISSIONS_POLICY
from tests.factories.core import UserFactory


def test_the_policy_switches_off_camera_microphone_location_payment_and_usb():
    directives = PERMISSIONS_POLICY.split(", ")

    assert {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"} <= set(
        directives
    )
    assert all(directive.endswith("=()") for directive in directives)
    assert len(directives) == len(set(directives)) == 27


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/accounts/login/", 200),
        ("/accounts/profile/", 302),
        ("/no-such-page/", 404),
        ("/static/css/app.css", 200),
    ],
)
def test_every_response_carries_the_permissions_policy(client, db, settings, path, status):
    settings.WHITENOISE_USE_FINDERS = True  # static files as WhiteNoise serves them, uncollected
    response = client.get(path)
    response.close()  # a static file is streamed from an open file

    assert response.status_code == status
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_refusals_and_errors_carry_it_too(client, db, learner):
    client.force_login(learner)

    forbidden = client.get(reverse("quality:report"))
    bad = client.post(reverse("set_language"), {"language": "xx"})

    assert (forbidden.status_code, bad.status_code) == (403, 400)
    assert forbidden["Permissions-Policy"] == bad["Permissions-Policy"] == PERMISSIONS_POLICY


def test_a_locked_out_sign_in_carries_it(client, db, settings):
    UserFactory(email="lena@example.org")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("login"), {"username": "lena@example.org", "password": "wrong"}
        )

    assert response.status_code == 429
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
