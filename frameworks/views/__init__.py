"""Coordinator pages for frameworks, constellations and badges, and the learners' catalogue.

One module per page group. Views are thin: they fetch through selectors (outside: 404),
check rules permissions (not allowed: 403), call services, and turn domain errors into
messages. The views are re-exported here for frameworks/urls.py.
"""

from .badges import (
    badge_create,
    badge_detail,
    badge_edit,
    badge_image,
    badge_new_draft,
    badge_publish,
    badge_retire,
)
from .catalogue import catalogue
from .constellations import (
    constellation_create,
    constellation_detail,
    constellation_edit,
    constellation_export,
    constellation_import,
    constellation_list,
    coverage,
)
from .criteria import criterion_create, criterion_delete, criterion_edit
from .frameworks import framework_detail, framework_export, framework_import, framework_list
from .translations import (
    badge_translate,
    constellation_translate,
    framework_translate,
    translation_overview,
)

__all__ = [
    "badge_create",
    "badge_detail",
    "badge_edit",
    "badge_image",
    "badge_new_draft",
    "badge_publish",
    "badge_retire",
    "badge_translate",
    "catalogue",
    "constellation_create",
    "constellation_detail",
    "constellation_edit",
    "constellation_export",
    "constellation_import",
    "constellation_list",
    "constellation_translate",
    "coverage",
    "criterion_create",
    "criterion_delete",
    "criterion_edit",
    "framework_detail",
    "framework_export",
    "framework_import",
    "framework_list",
    "framework_translate",
    "translation_overview",
]
