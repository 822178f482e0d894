"""The demo's credentials verify with an independent implementation that shares no code with
the project: the Digital Bazaar JavaScript stack (jsonld.js, @digitalbazaar/vc, Data
Integrity eddsa-rdfc-2022, Bitstring Status List) and `jose`, pinned in package.json and run
with node against the app served on loopback (`tests/certificates/conformance/verify.mjs`).

Every JSON-LD document the app serves is expanded by jsonld.js in safe mode, where an
undefined term, type or relative IRI anywhere is an error.

Where node or the pinned packages are missing the test skips with the reason; under CI=true
that skip fails the run (`make test` installs the packages with `npm ci`).
"""

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from certificates.models import Credential
from certificates.openbadges import signing
from certificates.openbadges.urls_public import (
    achievement_url,
    badge_class_url,
    issuer_ob2_url,
    issuer_url,
    revocation_list_url,
    status_list_url,
)
from tests.conftest import IN_CI
from tests.factories.certificates import IssuerFactory, legacy_credential

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "conformance" / "verify.mjs"
SHARED_CONTEXTS = ROOT.parent / "shared" / "openbadges" / "contexts"

pytestmark = pytest.mark.conformance


def node_or_skip() -> str:
    node = shutil.which("node")
    reason = ""
    if node is None:
        reason = "node is not installed"
    elif not (ROOT / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        reason = "the pinned verifier packages are not installed (run `npm ci`)"
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true: the cross-implementation verification may not skip: {reason}")
        pytest.skip(reason)
    return node


def run_verifier(tmp_path, *, server: str, expand: list[str], credentials: list) -> dict:
    node = node_or_skip()
    contexts = {
        url: str(signing.CONTEXTS_DIR / name) for url, name in signing.PINNED_CONTEXTS.items()
    }
    # The OB 2.0 context is not needed to sign anything; the official copy serves the test.
    contexts[signing.OB_V2_CONTEXT] = str(SHARED_CONTEXTS / "ob_v2p0_context.json")
    job = {
        "site": settings.SITE_URL,
        "server": server,
        "contexts": contexts,
        "expand": expand,
        "credentials": [
            {"label": str(c.public_id), "document": c.ob3_credential, "jwt": c.ob3_jwt}
            for c in credentials
        ],
    }
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job), encoding="utf-8")
    completed = subprocess.run(
        [node, str(SCRIPT), str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def served_documents(credentials) -> list[str]:
    urls = set()
    for credential in credentials:
        issuer, version = credential.issuer, credential.badge_version
        urls |= {
            issuer_url(issuer),
            status_list_url(issuer),
            achievement_url(issuer, version),
            badge_class_url(issuer, version),
            issuer_ob2_url(issuer),
            revocation_list_url(issuer),
        }
        for url in (
            credential.ob3_credential["id"],
            credential.ob3_credential["id"].replace("/ob3/credentials/", "/ob2/assertions/")[
                : -len(".json")
            ],
        ):
            urls.add(url)
    return sorted(urls)


@pytest.mark.django_db(transaction=True)
def test_every_demo_credential_verifies_with_the_digital_bazaar_stack_and_jose(
    live_server, tmp_path
):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    credentials = list(Credential.objects.select_related("issuer", "badge_version").order_by("pk"))
    revoked = {str(c.public_id) for c in credentials if c.revoked_at}
    assert len(credentials) >= 10
    assert len(revoked) == 1

    result = run_verifier(
        tmp_path,
        server=live_server.url,
        expand=served_documents(credentials),
        credentials=credentials,
    )

    assert {url: r for url, r in result["documents"].items() if not r["ok"]} == {}
    assert len(result["documents"]) >= 8
    for check in result["credentials"]:
        label = check["label"]
        assert check["expansion"] == {"ok": True, "error": ""}, label
        assert check["dataIntegrity"] == {"ok": True, "error": ""}, label
        assert check["tamperedDataIntegrity"]["ok"] is False, label
        assert check["full"]["ok"] is (label not in revoked), label
        assert check["status"] == {
            "checked": True,
            "revoked": label in revoked,
            "error": "",
        }, label
        assert check["jwt"] == {"ok": True, "alg": "RS256", "error": ""}, label
        assert check["tamperedJwt"]["ok"] is False, label


@pytest.mark.django_db(transaction=True)
def test_a_credential_of_the_earlier_format_fails_there_and_verifies_once_re_signed(
    live_server, tmp_path
):
    IssuerFactory()
    credential = legacy_credential()
    node_or_skip()

    before = run_verifier(tmp_path, server=live_server.url, expand=[], credentials=[credential])
    call_command("resign_credentials", stdout=StringIO())
    credential.refresh_from_db()
    after = run_verifier(tmp_path, server=live_server.url, expand=[], credentials=[credential])

    (old,) = before["credentials"]
    (new,) = after["credentials"]
    assert old["expansion"]["ok"] is False
    assert "1EdTechJsonSchemaValidator2019" in old["expansion"]["error"]
    assert old["dataIntegrity"]["ok"] is False
    assert old["jwt"]["ok"] is False
    assert new["expansion"] == {"ok": True, "error": ""}
    assert new["dataIntegrity"] == {"ok": True, "error": ""}
    assert new["full"] == {"ok": True, "error": ""}
    assert new["status"] == {"checked": True, "revoked": False, "error": ""}
    assert new["jwt"] == {"ok": True, "alg": "RS256", "error": ""}
    assert new["tamperedDataIntegrity"]["ok"] is False
    assert new["tamperedJwt"]["ok"] is False
