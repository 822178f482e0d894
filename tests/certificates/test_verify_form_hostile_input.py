"""The public paste-to-verify form refuses hostile input with a 400, never a 500."""

import base64
import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE = {
    "deeply nested JSON": DEEP[:199_998],
    "deeply nested object": '{"a":' * 30_000 + "1" + "}" * 30_000,
    "a 5,000-digit number": '{"id": ' + "9" * 5000 + "}",
    "a lone surrogate": '{"id": "\\ud800"}',
    "NUL": '{"id": "a\\u0000b"}',
    "JSON that is a list": "[1, 2, 3]",
    "a JWT whose payload nests deeply": f"{b64(b'{}')}.{b64(('[' * 50_000 + ']' * 50_000).encode())}.c2ln",
    "a JWT whose payload is not JSON": f"{b64(b'{}')}.{b64(b'not json')}.c2ln",
    "a JWT with a lone surrogate": f"{b64(b'{}')}.{b64(json.dumps({'id': chr(0xD800)}).encode('utf-8', 'surrogatepass'))}.c2ln",
    "a JWT of three dots": "...",
}


# Readable JSON, but nothing of ours: "not issued here" (422), whatever odd text it holds.
FOREIGN = {"a lone surrogate", "NUL", "a JWT with a lone surrogate"}


@pytest.mark.parametrize("name", HOSTILE.keys())
def test_hostile_pasted_credentials_are_refused_with_a_message(client, name):
    response = client.post(reverse("certificates:verify_upload"), {"credential": HOSTILE[name]})

    if name in FOREIGN:
        assert response.status_code == 422
        assert response.context["result"] == {
            "ok": False,
            "reason": "This credential was not issued here.",
            "credential": None,
        }
    else:
        assert response.status_code == 400
        assert response.context["result"] is None
        assert (
            "This is neither a signed Open Badges 3.0 JSON credential nor a VC-JWT."
            in response.text
        )


def test_an_oversized_paste_is_refused_by_the_form(client):
    response = client.post(reverse("certificates:verify_upload"), {"credential": "x" * 200_001})

    assert response.status_code == 400
    assert response.context["form"].errors["credential"] == [
        "Ensure this value has at most 200000 characters (it has 200001)."
    ]
