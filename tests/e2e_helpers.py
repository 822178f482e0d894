"""Helpers of the end-to-end journeys: reading pages like a person does (the text of the
elements with a class), the badge set-up the journeys share, and independent decoders
(PNG chunks, the Bitstring Status List) that do not reuse the code they check."""

import base64
import gzip
import hashlib
import io
import json
import re
import zlib
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certificates.models import Issuer
from certificates.services import issuer_save
from core.roles import Role
from tests.factories.core import UserFactory
from tests.factories.frameworks import (
    BadgeFactory,
    BadgeVersionFactory,
    ConstellationFactory,
    CriterionAlignmentFactory,
    CriterionFactory,
    framework_with_competences,
)

SHARED = Path(settings.BASE_DIR).parent / "shared" / "openbadges"
OB3_STRICT_SCHEMA = SHARED / "ob_v3p0_achievementcredential_schema.strict.json"

BLOCK = {
    "div",
    "section",
    "p",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "td",
    "th",
    "tr",
    "dd",
    "dt",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Collector(HTMLParser):
    """Collects the text inside every `<tag class="… css_class …">` (nesting aware)."""

    def __init__(self, tag: str, css_class: str):
        super().__init__(convert_charrefs=True)
        self.tag, self.css_class = tag, css_class
        self.found: list[list[str]] = []
        self._open: list[int] = []  # depth at which each collected element started
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if tag in BLOCK:
            self.handle_data(" ")
        self._depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if tag == self.tag and self.css_class in classes:
            self._open.append(self._depth)
            self.found.append([])

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag in BLOCK:
            self.handle_data(" ")
        if self._open and self._open[-1] == self._depth:
            self._open.pop()
        self._depth -= 1

    def handle_data(self, data):
        for index in range(len(self.found) - len(self._open), len(self.found)):
            self.found[index].append(data)


def texts(html: str, tag: str, css_class: str) -> list[str]:
    """The text of each `tag` element carrying `css_class`, whitespace collapsed."""
    parser = _Collector(tag, css_class)
    parser.feed(html)
    return [re.sub(r"\s+", " ", "".join(parts)).strip() for parts in parser.found]


def page(client, url: str, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def location_pk(response) -> int:
    """The primary key in a redirect to /applications/<pk>/."""
    match = re.fullmatch(r"/applications/(\d+)/", response["Location"])
    assert match, response["Location"]
    return int(match.group(1))


def body(response) -> bytes:
    """The whole body, streamed or not. The test client closes a streamed response once it
    is read to its end; closing it again here would fire request_finished outside the
    client's guard and drop the database connection of the test (on PostgreSQL)."""
    if not response.streaming:
        return response.content
    return b"".join(response.streaming_content)


def site_path(url: str) -> str:
    assert url.startswith(settings.SITE_URL), url
    return url[len(settings.SITE_URL) :]


# --- set-up ----------------------------------------------------------------------------


def people():
    return {
        "learner": UserFactory(
            roles=[Role.LEARNER], display_name="Lena Learner", email="Lena.Learner@example.org"
        ),
        "coordinator": UserFactory(roles=[Role.COORDINATOR], display_name="Cora Coordinator"),
        "assessor": UserFactory(roles=[Role.ASSESSOR], display_name="Ada Assessor"),
        "second": UserFactory(roles=[Role.ASSESSOR], display_name="Bo Assessor"),
        "auditor": UserFactory(roles=[Role.AUDITOR], display_name="Otto Auditor"),
    }


def badge_with_three_kinds_of_evidence(*, coordinator, assessors, slug, **version_kwargs):
    """A published micro badge whose criteria want a file (C1), a link (C2) and a written
    reflection (C3), each aligned to a competence of a framework with levels."""
    framework = framework_with_competences(slug=f"{slug}-framework")
    constellation = ConstellationFactory(
        slug=slug, name=f"{slug.title()} constellation", coordinators=[coordinator]
    )
    constellation.assessors.add(*assessors)
    version = BadgeVersionFactory(
        badge=BadgeFactory(constellation=constellation, slug=f"{slug}-badge"),
        title="Systems Thinking in Teaching",
        **version_kwargs,
    )
    wants = [
        ("C1", "Lesson plan", {"required_files": 1}),
        ("C2", "Published resource", {"required_files": 0, "required_links": 1}),
        ("C3", "Reflection on practice", {"required_files": 0, "required_reflections": 1}),
    ]
    for order, (code, title, counts) in enumerate(wants):
        criterion = CriterionFactory(
            badge_version=version, order=order, code=code, title=title, **counts
        )
        CriterionAlignmentFactory(
            criterion=criterion,
            competence=framework.competences.get(code=f"1.{order + 1}"),
            target_level=framework.levels.get(code="B"),
        )
    version.publish(when=timezone.now())
    version.save()
    return version


def issuer_with_keys(*, coordinator) -> Issuer:
    """The issuer the way certificates' demo makes it (the service), then its keys through
    the management command."""
    issuer = issuer_save(
        actor=coordinator,
        issuer=Issuer(
            name="Teacher Academy",
            url="https://academy.example.org",
            email="badges@academy.example.org",
            country_code="FI",
            region="Uusimaa",
            is_default=True,
        ),
    )
    out = io.StringIO()
    call_command("issuer_keys", "--create", stdout=out)
    assert out.getvalue().splitlines()[0] == "Teacher Academy: 2 key(s) created"
    assert issuer.keys.filter(active=True).count() == 2
    return issuer


def review_data(version, *, recommendation, judgements: dict, overall="", reason=""):
    """The review form: judgements maps a criterion code to (outcome, feedback, changes)."""
    data = {
        "action": "submit",
        "recommendation": recommendation,
        "overall_feedback": overall,
        "reason": reason,
    }
    for criterion in version.criteria.all():
        outcome, feedback, changes = judgements[criterion.code]
        data[f"outcome_{criterion.pk}"] = outcome
        data[f"feedback_{criterion.pk}"] = feedback
        data[f"changes_{criterion.pk}"] = "\n".join(changes)
    return data


def all_met(version, feedback="Clear evidence."):
    return {c.code: ("met", feedback, []) for c in version.criteria.all()}


# --- independent decoders ---------------------------------------------------------------


def png_text_chunks(data: bytes) -> dict[str, list[str]]:
    """keyword -> texts of the tEXt/iTXt chunks of a PNG (read here, not by certificates)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[str, list[str]] = {}
    position = 8
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        content = data[position + 8 : position + 8 + length]
        crc = int.from_bytes(data[position + 8 + length : position + 12 + length], "big")
        assert zlib.crc32(kind + content) == crc, kind
        if kind == b"iTXt":
            keyword, rest = content.split(b"\0", 1)
            compressed, _method = rest[0], rest[1]
            _language, _translated, text = rest[2:].split(b"\0", 2)
            assert compressed == 0
            chunks.setdefault(keyword.decode("latin-1"), []).append(text.decode("utf-8"))
        elif kind == b"tEXt":
            keyword, text = content.split(b"\0", 1)
            chunks.setdefault(keyword.decode("latin-1"), []).append(text.decode("latin-1"))
        position += 12 + length
    return chunks


def status_bit(encoded_list: str, index: int) -> bool:
    """Bitstring Status List: multibase 'u' + base64url (no padding) of GZIP; bit 0 is the
    most significant bit of the first byte."""
    assert encoded_list.startswith("u")
    raw = base64.urlsafe_b64decode(encoded_list[1:] + "=" * (-len(encoded_list[1:]) % 4))
    bits = gzip.decompress(raw)
    assert len(bits) * 8 == 131_072
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bits(encoded_list: str) -> int:
    raw = base64.urlsafe_b64decode(encoded_list[1:] + "=" * (-len(encoded_list[1:]) % 4))
    return sum(bin(byte).count("1") for byte in gzip.decompress(raw))


def ob2_identity(email: str, salt: str) -> str:
    """Open Badges 2.0 hashed recipient: sha256$ + hex(sha256(lower-cased email + salt))."""
    return "sha256$" + hashlib.sha256((email.lower() + salt).encode()).hexdigest()


def strict_schema_errors(document: dict) -> list[str]:
    import jsonschema

    schema = json.loads(OB3_STRICT_SCHEMA.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]


def reverse_or_none(name: str, **kwargs):
    from django.urls import NoReverseMatch

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None
