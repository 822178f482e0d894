"""The field tables of the interchange format: one row per stored field.

Each row ties a model attribute to its JSON key (inside an optional group object such as
`review` or `evidence`), the reader that validates it, its limits, and whether the
coordinator's form shows it. Everything that lists these fields derives the list from here:
the file validation and the export (`frameworks.interchange`), the import, the services'
accepted fields and the copy to a new draft version (`frameworks.services`), and the forms.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from ..models import (
    AssessmentType,
    BadgeVersion,
    Competence,
    CompetenceArea,
    Constellation,
    Criterion,
    DoubleAssessment,
    Framework,
    ParticipationForm,
    ProficiencyLevel,
    RubricLevel,
)
from .parsing import (
    MAX_TEXT,
    Problems,
    get_bool,
    get_choice,
    get_ects,
    get_int,
    get_languages,
    get_lines,
    get_text,
)


@dataclass(frozen=True)
class Field:
    attr: str  # the model attribute
    kind: str  # text, int, choice, bool, or a name in READERS
    key: str = ""  # the JSON key (default: attr)
    group: str = ""  # the JSON object the key sits in, e.g. "review"
    required: bool = False
    max_length: int = MAX_TEXT
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None  # of the kind the field reads: text, number, bool, choice
    choices: type[models.TextChoices] | None = None
    translated: bool = False  # its texts may be translated ("translations" object)
    in_form: bool = True  # the coordinator's form edits it
    imported: bool = True  # False: informative in the export, ignored by the import
    export_attr: str = ""  # the attribute the export reads, if not `attr`
    export: Callable | None = None  # the stored value → the JSON value
    # The service refuses values outside [minimum, maximum] on save too: beyond them a
    # later step breaks (the review due date is submission + review_days, a credential's
    # expiry is issue date + validity_months; both must stay inside the calendar).
    checked_on_save: bool = False

    @property
    def json_key(self) -> str:
        return self.key or self.attr

    def read(self, obj: dict, place: str, problems: Problems):
        """The field's value from `obj` (the JSON object holding it), or its default."""
        if self.kind == "text":
            return get_text(
                obj,
                self.json_key,
                place,
                problems,
                required=self.required,
                max_length=self.max_length,
                default=self.default or "",
            )
        if self.kind == "int":
            return get_int(
                obj,
                self.json_key,
                place,
                problems,
                required=self.required,
                minimum=self.minimum,
                maximum=self.maximum,
                default=self.default,
            )
        if self.kind == "choice":
            assert self.choices is not None  # every choice field names its choices
            return get_choice(
                obj,
                self.json_key,
                place,
                problems,
                choices=self.choices.values,
                default=self.default,
            )
        if self.kind == "bool":
            return get_bool(obj, self.json_key, place, problems, default=bool(self.default))
        return READERS[self.kind](obj, self.json_key, place, problems)

    def dump(self, instance):
        value = getattr(instance, self.export_attr or self.attr)
        return self.export(value) if self.export else value


READERS = {"lines": get_lines, "languages": get_languages, "decimal": get_ects}


def _number(value):
    return float(value) if value is not None else None


# A badge version ("badges" in a constellation file). The badge's own slug and kind, its
# criteria and the badges it requires are read and written alongside.
BADGE_VERSION_FIELDS = (
    Field("title", "text", key="name", required=True, max_length=200, translated=True),
    Field("version", "int", in_form=False, imported=False),
    Field("status", "text", in_form=False, imported=False),
    Field("description", "text", translated=True),
    Field("criteria_narrative", "text", translated=True),
    Field("learning_outcomes", "lines", export_attr="learning_outcome_list"),
    Field("eqf_level", "int", minimum=1, maximum=8),
    Field("ects", "decimal", export=_number),
    Field("workload_hours", "int", minimum=0, maximum=100_000),
    Field("assessment_type", "choice", choices=AssessmentType, default=AssessmentType.ARTEFACT),
    Field(
        "participation_form", "choice", choices=ParticipationForm, default=ParticipationForm.ONLINE
    ),
    Field("quality_assurance", "text", max_length=500),
    Field("prerequisites", "text"),
    Field("validity_months", "int", minimum=1, maximum=1200, checked_on_save=True),
    Field("languages", "languages", in_form=False, export=list),
    # Review settings: micro badges only.
    Field("max_rounds", "int", group="review", minimum=1, maximum=100, checked_on_save=True),
    Field(
        "review_days",
        "int",
        group="review",
        minimum=1,
        maximum=365,
        default=14,
        checked_on_save=True,
    ),
    Field(
        "double_assessment",
        "choice",
        group="review",
        choices=DoubleAssessment,
        default=DoubleAssessment.NONE,
    ),
    Field("sample_percent", "int", group="review", minimum=0, maximum=100, default=0),
    Field("hide_assessors", "bool", group="review"),
    # Milestone and meta badges: how many of the required badges.
    Field("required_count", "int", key="count", group="requires", required=True, minimum=1),
)

CRITERION_FIELDS = (
    Field("code", "text", max_length=20),
    Field("title", "text", required=True, max_length=300, translated=True),
    Field("description", "text", translated=True),
    Field("required_files", "int", key="files", group="evidence", minimum=0, maximum=20, default=0),
    Field("required_links", "int", key="links", group="evidence", minimum=0, maximum=20, default=0),
    Field(
        "required_reflections",
        "int",
        key="reflections",
        group="evidence",
        minimum=0,
        maximum=20,
        default=0,
    ),
)

RUBRIC_LEVEL_FIELDS = (
    Field("name", "text", required=True, max_length=100, translated=True),
    Field("descriptor", "text", translated=True),
    Field("is_passing", "bool", key="passing"),
)

# The constellation itself; its slug is its identity and is read and written alongside.
CONSTELLATION_FIELDS = (
    Field("name", "text", required=True, max_length=200, translated=True),
    Field("description", "text", translated=True),
    Field("is_illustrative", "bool"),
)

# A competence framework, and each of its proficiency levels, competence areas and
# competences (an "item": a code, a name and a description). The framework's slug and
# version, and the items' order, are read and written alongside.
FRAMEWORK_FIELDS = (
    Field("name", "text", required=True, max_length=200, translated=True),
    Field("description", "text", translated=True),
    Field("source", "text", max_length=500),
    Field("source_version", "text", max_length=50),
)
FRAMEWORK_ITEM_FIELDS = (
    Field("code", "text", required=True, max_length=20),
    Field("name", "text", required=True, max_length=200, translated=True),
    Field("description", "text", translated=True),
)


# Derived lists --------------------------------------------------------------------------


def in_group(fields, group: str) -> tuple[Field, ...]:
    return tuple(field for field in fields if field.group == group)


def named(fields, attr: str) -> Field:
    return next(field for field in fields if field.attr == attr)


def attrs(fields) -> tuple[str, ...]:
    return tuple(field.attr for field in fields)


def translated(fields) -> tuple[str, ...]:
    return tuple(field.attr for field in fields if field.translated)


def imported(fields) -> tuple[Field, ...]:
    return tuple(field for field in fields if field.imported)


def read_fields(fields, obj: dict, place: str, problems: Problems) -> dict:
    """{attr: value} of `fields`, read from `obj` (each field's own JSON key)."""
    return {field.attr: field.read(obj, place, problems) for field in fields}


def dump_fields(fields, instance) -> dict:
    """{json key: value} of `fields`, read from a model instance."""
    return {field.json_key: field.dump(instance) for field in fields}


# What a coordinator edits on a badge version, in the order the form shows it.
EDITABLE_VERSION_FIELDS = attrs(f for f in BADGE_VERSION_FIELDS if f.in_form)
# Every badge version field the services accept, copy to a new version and import.
VERSION_FIELDS = frozenset({*attrs(imported(BADGE_VERSION_FIELDS)), "translations"})
REVIEW_FIELDS = attrs(in_group(BADGE_VERSION_FIELDS, "review"))
REQUIRES_FIELDS = attrs(in_group(BADGE_VERSION_FIELDS, "requires"))
# The limits the service enforces on save as well as on import.
VERSION_RANGES = {
    field.attr: (field.minimum, field.maximum)
    for field in BADGE_VERSION_FIELDS
    if field.checked_on_save
}
CRITERION_FORM_FIELDS = attrs(f for f in CRITERION_FIELDS if f.in_form)
EVIDENCE_FIELDS = in_group(CRITERION_FIELDS, "evidence")
CRITERION_SERVICE_FIELDS = frozenset({*attrs(CRITERION_FIELDS), "translations"})
RUBRIC_LEVEL_FORM_FIELDS = attrs(RUBRIC_LEVEL_FIELDS)
RUBRIC_LEVEL_SERVICE_FIELDS = (*attrs(RUBRIC_LEVEL_FIELDS), "translations")
CONSTELLATION_SERVICE_FIELDS = frozenset({*attrs(CONSTELLATION_FIELDS), "translations"})
FRAMEWORK_SERVICE_FIELDS = (*attrs(FRAMEWORK_FIELDS), "translations")
FRAMEWORK_ITEM_SERVICE_FIELDS = (*attrs(FRAMEWORK_ITEM_FIELDS), "translations")

# Each translatable model's field table: what the in-product translation pages edit and
# what the missing-translation counts check (the fields marked `translated`).
FIELDS_OF_MODEL: dict[type, tuple[Field, ...]] = {
    Framework: FRAMEWORK_FIELDS,
    ProficiencyLevel: FRAMEWORK_ITEM_FIELDS,
    CompetenceArea: FRAMEWORK_ITEM_FIELDS,
    Competence: FRAMEWORK_ITEM_FIELDS,
    Constellation: CONSTELLATION_FIELDS,
    BadgeVersion: BADGE_VERSION_FIELDS,
    Criterion: CRITERION_FIELDS,
    RubricLevel: RUBRIC_LEVEL_FIELDS,
}


def translated_fields_of(obj) -> tuple[Field, ...]:
    """The translated fields of a model instance (or class), in the table's order."""
    model = obj if isinstance(obj, type) else type(obj)
    return tuple(field for field in FIELDS_OF_MODEL[model] if field.translated)
