"""Every write to frameworks, constellations and badges, one module per entity.

The names are re-exported here so that `from frameworks.services import badge_publish`
works wherever the module that holds it; so are the exports of the interchange format
(frameworks.interchange), which the import/export commands and other apps reach here.
"""

from ..interchange import (
    CONSTELLATION_FORMAT,
    FRAMEWORK_FORMAT,
    constellation_export,
    framework_content,
    framework_export,
)
from ..interchange.fields import EDITABLE_VERSION_FIELDS, VERSION_FIELDS, VERSION_RANGES
from ._common import RESERVED_SLUGS
from .badges import (
    badge_create,
    badge_new_draft,
    badge_publish,
    badge_publish_problems,
    badge_retire,
    badge_version_update,
    criterion_place,
)
from .constellations import (
    CONSTELLATION_FIELDS,
    constellation_create,
    constellation_import,
    constellation_update,
)
from .criteria import (
    CRITERION_FIELDS,
    criterion_create,
    criterion_delete,
    criterion_set_alignments,
    criterion_set_rubric,
    criterion_update,
)
from .frameworks import FrameworkImportResult, framework_import
from .translations import (
    badge_version_translate,
    constellation_translate,
    framework_translate,
    translation_languages,
)

__all__ = [
    "CONSTELLATION_FIELDS",
    "CONSTELLATION_FORMAT",
    "CRITERION_FIELDS",
    "EDITABLE_VERSION_FIELDS",
    "FRAMEWORK_FORMAT",
    "RESERVED_SLUGS",
    "VERSION_FIELDS",
    "VERSION_RANGES",
    "FrameworkImportResult",
    "badge_create",
    "badge_new_draft",
    "badge_publish",
    "badge_publish_problems",
    "badge_retire",
    "badge_version_translate",
    "badge_version_update",
    "constellation_create",
    "constellation_export",
    "constellation_import",
    "constellation_translate",
    "constellation_update",
    "criterion_create",
    "criterion_delete",
    "criterion_place",
    "criterion_set_alignments",
    "criterion_set_rubric",
    "criterion_update",
    "framework_content",
    "framework_export",
    "framework_import",
    "framework_translate",
    "translation_languages",
]
