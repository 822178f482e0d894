"""The JSON interchange of competence frameworks and badge constellations.

- `fields`: the field tables (model attribute ↔ JSON key ↔ reader and limits) that the
  validation, the export, the import services, the copy to a new version and the forms
  derive their field lists from;
- `parsing`: reading a file and its values, collecting every problem before anything is
  written;
- `frameworks`, `constellations`: validating and exporting each file format.

The imports themselves are writes and live in `frameworks.services`.
"""

from .constellations import CONSTELLATION_FORMAT, constellation_export, validate_constellation
from .frameworks import (
    FRAMEWORK_FORMAT,
    drop_empty_translations,
    framework_content,
    framework_export,
    validate_framework,
)
from .parsing import LANGUAGE_RE, MAX_IMPORT_BYTES, Problems, parse_json_bytes

__all__ = [
    "CONSTELLATION_FORMAT",
    "FRAMEWORK_FORMAT",
    "LANGUAGE_RE",
    "MAX_IMPORT_BYTES",
    "Problems",
    "constellation_export",
    "drop_empty_translations",
    "framework_content",
    "framework_export",
    "parse_json_bytes",
    "validate_constellation",
    "validate_framework",
]
