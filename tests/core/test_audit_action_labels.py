"""Every action the audit chain records has a readable, translated name."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

from core.audit_actions import ACTION_LABELS, action_label
from review.services.reviews import DECISION_ACTIONS

APPS = ("core", "frameworks", "applications", "review", "certificates", "quality")
# `action="x.y"` in an audit call, and `"x.y" if … else "x.y"` passed as the action.
CODE = r'"([a-z_]+\.[a-z_]+)"'
PATTERNS = (re.compile(r"action=\s*" + CODE), re.compile(CODE + r"\s+if\s.*?\s+else\s+" + CODE))


def recorded_actions() -> set[str]:
    found = {action for _method, _decision, action in DECISION_ACTIONS.values()}
    for app in APPS:
        for path in Path(settings.BASE_DIR, app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in PATTERNS:
                for match in pattern.findall(text):
                    found.update(match if isinstance(match, tuple) else (match,))
    return found


def test_every_recorded_action_has_a_label():
    actions = recorded_actions()
    assert len(actions) > 30  # the search finds the audit calls
    assert sorted(actions - set(ACTION_LABELS)) == []


def test_no_label_is_left_without_an_action():
    assert sorted(set(ACTION_LABELS) - recorded_actions()) == []


def test_labels_are_translated():
    with translation.override("de"):
        assert action_label("evidence.added") == "Nachweis hinzugefügt"
    assert action_label("some.old_action") == "some.old_action"
