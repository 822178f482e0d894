"""A baked SVG is downloaded allow-listed (even one stored before the SVG rules) with its
credential intact, under a sandbox Content-Security-Policy."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from certificates.models import Credential
from certificates.openbadges import baking
from core.svg import SVG_HEADERS
from tests.e2e_helpers import body
from tests.factories.certificates import issued_credential

pytestmark = pytest.mark.django_db

HOSTILE_PARTS = (
    b'<script>alert(1)</script><a><set attributeName="href" to="javascript:alert(1)"/>'
    b'<rect onclick="alert(1)" style="fill:url(http://evil.example/p)" width="1" height="1"/>'
    b"</a>"
)


@pytest.mark.parametrize(
    ("path", "field"), [("badge.svg", "baked_svg"), ("badge-ob2.svg", "baked_ob2_svg")]
)
def test_a_baked_svg_stored_with_script_is_downloaded_clean_and_sandboxed(
    client, issuer, path, field
):
    credential = issued_credential()
    stored = getattr(credential, field)
    with stored.open("rb") as handle:
        baked = handle.read()
    opening_end = baked.index(b">", baked.index(b"<svg")) + 1
    hostile = baked[:opening_end] + HOSTILE_PARTS + baked[opening_end:]
    name = default_storage.save("credentials/baked/hostile.svg", ContentFile(hostile))
    Credential.objects.filter(pk=credential.pk).update(**{field: name})
    client.force_login(credential.recipient)

    response = client.get(f"/credentials/{credential.public_id}/{path}")
    served = body(response)

    assert response.status_code == 200
    assert {header: response[header] for header in SVG_HEADERS} == SVG_HEADERS
    assert response["Content-Type"] == "image/svg+xml"
    for marker in (b"<script", b"javascript", b"onclick", b"evil.example", b"<set"):
        assert marker not in served
    assert b'<a><rect width="1" height="1"/></a>' in served
    found = baking.unbake_svg(served)
    if field == "baked_svg":
        assert json.loads(found["credential"][0]) == credential.ob3_credential
    else:
        assert found["assertion"] == baking.unbake_svg(baked)["assertion"]
