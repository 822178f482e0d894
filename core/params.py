"""URL parameters, parsed and bounded in one place.

Every filter, list and export reads its query string through a `ParameterForm`: a form
whose fields are bounded (dates within `DATE_MIN`..`DATE_MAX`, integers and ids within
the database's range, page numbers from 1 to `PAGE_MAX`, choices from their list) and
whose raw values are screened before any field sees them (no NUL or other control
character, no text that was not UTF-8, at most `PARAMETER_MAX_LENGTH` characters, a
single-valued parameter given once). Anything else is a form error: the view answers 400
with the message, never a 500 from a date overflow or a database that refuses a value.
"""

import re
import unicodedata
from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

# A wide window that keeps "the day after" and any time-zone shift inside what Python and
# both databases can represent (9999-12-31 + 1 day overflowed; 0001-01-01 moved to UTC did).
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)
INTEGER_MAX = 2**31 - 1  # PostgreSQL's integer, the widest id column
PAGE_MAX = 100_000
PARAMETER_MAX_LENGTH = 200

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
_DIGITS = re.compile(r"^[0-9]{1,10}$")


def has_forbidden_characters(text: str) -> bool:
    """Control characters (NUL included: PostgreSQL refuses it in text), lone surrogates,
    unassigned code points, and U+FFFD (what bytes that were not UTF-8 decode to)."""
    return any(unicodedata.category(ch) in ("Cc", "Cs", "Cn") or ch == "\ufffd" for ch in text)


class BoundedDateField(forms.DateField):
    default_error_messages = {
        "bounds": _("Enter a date between %(min)s and %(max)s."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                attrs={"type": "date", "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and len(value.strip()) > 10:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        value = super().to_python(value)
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise ValidationError(
                self.error_messages["bounds"],
                code="bounds",
                params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
            )
        return value


class BoundedIntegerField(forms.IntegerField):
    """ASCII digits only (int() also reads fullwidth digits and "1_000"), within the range."""

    def __init__(self, *, min_value=0, max_value=INTEGER_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if value and not re.fullmatch(r"-?[0-9]{1,10}", value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdChoiceField(forms.ModelChoiceField):
    """A record chosen by its id: anything but a plain in-range number is an invalid choice
    (not a database error)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value)
        if not _DIGITS.fullmatch(text) or not 1 <= int(text) <= INTEGER_MAX:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(text)


class SlugChoiceField(forms.ModelChoiceField):
    """A record chosen by its slug."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(queryset, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not _SLUG.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SlugField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value and not _SLUG.fullmatch(value):
            raise ValidationError(_("Enter a slug (letters, digits, - and _)."), code="invalid")
        return value


class ParameterForm(forms.Form):
    """A form bound to URL parameters. Screens the raw values first (see the module), and
    with `paginated=True` also reads `page` (cleaned_data["page"], 1 when absent)."""

    def __init__(self, data=None, *args, paginated: bool = False, **kwargs):
        self.paginated = paginated
        self.parameter_errors: dict[str, str] = {}
        if data is not None:
            data = self._screened(data)
        super().__init__(data, *args, **kwargs)

    def _screened(self, data):
        screened = data.copy()
        names = [*self.base_fields, *(["page"] if self.paginated else [])]
        for name in names:
            if name not in data:
                continue
            values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
            values = [v for v in values if isinstance(v, str)]
            field = self.base_fields.get(name)
            if len(values) > 1 and not isinstance(field, forms.MultipleChoiceField):
                problem = _("Give this parameter only once.")
            elif any(len(v) > PARAMETER_MAX_LENGTH for v in values):
                problem = _("This value is too long (at most %(max)d characters).") % {
                    "max": PARAMETER_MAX_LENGTH
                }
            elif any(has_forbidden_characters(v) for v in values):
                problem = _("This value contains characters that are not allowed.")
            else:
                continue
            self.parameter_errors[name] = str(problem)
            screened.pop(name)
        return screened

    def clean(self):
        cleaned = super().clean()
        for name, problem in self.parameter_errors.items():
            if name in self.fields:
                self.add_error(name, problem)
            else:
                self.add_error(None, f"{name}: {problem}")
        if self.paginated and "page" not in self.parameter_errors:
            try:
                cleaned["page"] = (
                    BoundedIntegerField(min_value=1, max_value=PAGE_MAX, required=False).clean(
                        self.data.get("page")
                    )
                    or 1
                )
            except ValidationError as error:
                self.add_error(
                    None,
                    _("page: %(problem)s") % {"problem": " ".join(error.messages)},
                )
        return cleaned

    @property
    def page_number(self) -> int:
        """The page asked for, or 1 when the parameters were refused."""
        if not self.is_bound or not self.is_valid():
            return 1
        return self.cleaned_data.get("page", 1)

    def error_text(self) -> str:
        """Every problem on one line per field, for a plain-text answer."""
        lines = []
        for name, errors in self.errors.items():
            prefix = "" if name == NON_FIELD_ERRORS else f"{name}: "
            lines.extend(prefix + message for message in errors)
        return "\n".join(lines)


class PageForm(ParameterForm):
    """Only a page number (a list without filters)."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, paginated=True, **kwargs)


def page_of(queryset, form: ParameterForm, per_page: int) -> Page:
    """The page the form asked for; past the last page, the last one."""
    return Paginator(queryset, per_page).get_page(form.page_number)
