"""Every interface language is complete: no untranslated, fuzzy or obsolete entry, the same
placeholders as the English source, and a compiled catalogue that says what the .po says."""

import ast
import gettext
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# %(name)s, %s, %d, %.1f … and {name} / {0}; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(
    r"%\([a-zA-Z_][a-zA-Z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[a-zA-Z_0-9]*\}"
)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0


def _string(token: str) -> str:
    return ast.literal_eval(token)  # a PO string is a C/Python-style double-quoted literal


def read_po(path: Path) -> list[Entry]:
    """A small, strict reader of the GNU gettext PO format (what makemessages writes)."""
    entries: list[Entry] = []
    current = Entry()
    key: tuple[str, int] | None = None

    def finish():
        nonlocal current, key
        if current.msgid or current.msgstr or current.obsolete:
            entries.append(current)
        current, key = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            current.obsolete = True
            current.line = current.line or number
            continue
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        current.line = current.line or number
        if line.startswith('"'):
            assert key is not None, f"{path}:{number}: a string outside an entry"
            name, index = key
            if name == "msgstr":
                current.msgstr[index] += _string(line)
            else:
                setattr(current, name, (getattr(current, name) or "") + _string(line))
            continue
        keyword, _space, value = line.partition(" ")
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            key = ("msgstr", int(match.group(1)))
            current.msgstr[key[1]] = _string(value)
        elif keyword == "msgstr":
            key = ("msgstr", 0)
            current.msgstr[0] = _string(value)
        elif keyword in {"msgid", "msgid_plural", "msgctxt"}:
            key = (keyword, 0)
            setattr(current, keyword, _string(value))
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return [e for e in entries if e.msgid or e.obsolete]  # the header has an empty msgid


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def catalogue(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / "django.po"


def test_every_offered_language_but_english_has_a_catalogue():
    assert LANGUAGES, "only English is offered"
    assert [code for code in LANGUAGES if not catalogue(code).exists()] == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_catalogue_is_complete_and_keeps_every_placeholder(code):
    entries = read_po(catalogue(code))
    problems = []
    for entry in entries:
        where = f"line {entry.line}: {entry.msgid[:60]!r}"
        if entry.obsolete:
            problems.append(f"{where}: obsolete")
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        translations = [entry.msgstr[i] for i in sorted(entry.msgstr)]
        if not translations or not all(t.strip() for t in translations):
            problems.append(f"{where}: untranslated")
            continue
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        expected = placeholders(sources[-1])
        for index, translation in enumerate(translations):
            # The singular of a plural may spell the number out ("one file"), so only the
            # named placeholders must all be there; every other form keeps every one.
            found = placeholders(translation)
            if entry.msgid_plural and index == 0:
                wanted = [p for p in expected if p.startswith("%(") or p.startswith("{")]
                if not set(wanted) - {"%(count)s", "%(count)d", "{count}"} <= set(found):
                    problems.append(f"{where}: form {index} loses {wanted} (has {found})")
            elif found != expected:
                problems.append(f"{where}: form {index} has {found}, the source {expected}")
    assert problems == []
    assert len(entries) > 1000


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_file_says(code):
    with open(catalogue(code).with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(catalogue(code)):
        if entry.obsolete or entry.msgid_plural:
            continue
        if entry.msgctxt is not None:
            found = compiled.pgettext(entry.msgctxt, entry.msgid)
        else:
            found = compiled.gettext(entry.msgid)
        if found != entry.msgstr.get(0):
            stale.append(entry.msgid[:60])
    assert stale == [], "run compilemessages (locale/README.md)"


def test_the_reader_sees_untranslated_fuzzy_obsolete_and_mismatched_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: xx\\n"\n\n'
        'msgid "Hello %(name)s"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Old"\nmsgstr "Alt"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Weg"\n\n'
        'msgid "One file"\nmsgid_plural "%(count)s files"\nmsgstr[0] "Eine Datei"\n'
        'msgstr[1] "%(count)s Dateien"\n\n'
        'msgctxt "status"\nmsgid "Running"\nmsgstr ""\n"L\\u00e4uft"\n',
        encoding="utf-8",
    )

    entries = read_po(po)

    assert [(e.msgid, e.msgstr, e.obsolete, "fuzzy" in e.flags) for e in entries] == [
        ("Hello %(name)s", {0: ""}, False, False),
        ("Old", {0: "Alt"}, False, True),
        ("", {}, True, False),
        ("One file", {0: "Eine Datei", 1: "%(count)s Dateien"}, False, False),
        ("Running", {0: "Läuft"}, False, False),
    ]
    assert entries[4].msgctxt == "status"
    assert placeholders("%(a)s and %s, 100%% {b}") == ["%(a)s", "%s", "{b}"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_gnu_msgfmt_accepts_the_catalogue(code):
    """GNU gettext's own checker (format strings against the source, the header, plural
    forms): an implementation that is not ours."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI=true: the catalogue check by GNU msgfmt may not skip (apt install gettext)"
            )
        pytest.skip("GNU gettext's msgfmt is not installed")

    result = subprocess.run(
        [msgfmt, "--check", "--check-format", "-o", os.devnull, str(catalogue(code))],
        capture_output=True,
        text=True,
        check=False,
    )

    assert (result.returncode, result.stderr) == (0, "")
