from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.models import User
from core.params import ParameterForm, SlugField
from core.roles import Role

from .images import validate_badge_image
from .interchange import LANGUAGE_RE, MAX_IMPORT_BYTES
from .interchange.fields import (
    CRITERION_FORM_FIELDS,
    EDITABLE_VERSION_FIELDS,
    EVIDENCE_FIELDS,
    REQUIRES_FIELDS,
    REVIEW_FIELDS,
    RUBRIC_LEVEL_FIELDS,
    named,
    translated_fields_of,
)
from .models import (
    Badge,
    BadgeKind,
    BadgeVersion,
    Competence,
    Constellation,
    Criterion,
    ProficiencyLevel,
)
from .selectors import latest_frameworks


class CatalogueFilterForm(ParameterForm):
    """The catalogue's URL parameters (checked by `core.params`)."""

    constellation = SlugField(label=_("Constellation"), required=False, max_length=80)


class JsonUploadForm(forms.Form):
    file = forms.FileField(
        label=_("JSON file"),
        help_text=_("A .json file in the documented format, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s KB); the limit is %(limit)s KB."),
                params={"size": upload.size // 1024, "limit": MAX_IMPORT_BYTES // 1024},
            )
        self.data_bytes = upload.read()
        return upload


class ConstellationImportForm(JsonUploadForm):
    publish = forms.BooleanField(
        label=_("Publish every badge after importing"),
        required=False,
        help_text=_(
            "Otherwise the badges are created as drafts that you review and publish one by one."
        ),
    )


def _people(role: Role):
    return User.objects.filter(groups__name=role.value, is_active=True).order_by(
        "display_name", "email"
    )


class PeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.display_name} <{obj.email}>"


class ConstellationForm(forms.ModelForm):
    assessors = PeopleField(queryset=User.objects.none(), required=False, label=_("Assessors"))
    moderators = PeopleField(queryset=User.objects.none(), required=False, label=_("Moderators"))

    class Meta:
        model = Constellation
        fields = ["slug", "name", "description", "is_illustrative"]
        help_texts = {"slug": _("Short name used in web addresses and files, e.g. “edusta”.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = _people(Role.ASSESSOR)
        self.fields["moderators"].queryset = _people(Role.ASSESSOR) | _people(Role.COORDINATOR)
        if self.instance.pk:
            del self.fields["slug"]
            self.fields["coordinators"] = PeopleField(
                queryset=_people(Role.COORDINATOR), label=_("Coordinators"), required=True
            )
            self.initial.update(
                assessors=list(self.instance.assessors.all()),
                moderators=list(self.instance.moderators.all()),
                coordinators=list(self.instance.coordinators.all()),
            )


class LanguagesField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def clean(self, value):
        value = super().clean(value)
        codes = [code.strip() for code in (value or "").split(",") if code.strip()]
        for code in codes:
            if not LANGUAGE_RE.match(code):
                raise forms.ValidationError(
                    _("“%(code)s” is not a language code such as en, de or pt-BR."),
                    params={"code": code[:20]},
                )
        return codes


class RequiredBadgesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.slug} ({obj.get_kind_display()})"


VERSION_FIELDS = list(EDITABLE_VERSION_FIELDS)


class BadgeVersionForm(forms.ModelForm):
    languages = LanguagesField(
        label=_("Languages"),
        required=False,
        help_text=_("Language codes separated by commas, e.g. en, de."),
    )
    required_badges = RequiredBadgesField(
        queryset=Badge.objects.none(),
        required=False,
        label=_("Badges that count"),
        help_text=_("Milestone: micro badges; meta badge: milestones."),
    )
    image_upload = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("SVG or PNG, at most 1 MB. Without one, a generated image is used."),
        widget=forms.ClearableFileInput(attrs={"accept": ".svg,.png,image/svg+xml,image/png"}),
    )
    remove_image = forms.BooleanField(label=_("Use the generated image instead"), required=False)

    class Meta:
        model = BadgeVersion
        fields = VERSION_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "criteria_narrative": forms.Textarea(attrs={"rows": 4}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 4}),
            "prerequisites": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, constellation, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        kind = kind or (self.instance.badge.kind if self.instance.pk else None)
        badges = Badge.objects.filter(constellation=constellation).order_by("order", "slug")
        if kind == BadgeKind.MILESTONE:
            badges = badges.filter(kind=BadgeKind.MICRO)
        elif kind == BadgeKind.META:
            badges = badges.filter(kind=BadgeKind.MILESTONE)
        else:
            badges = badges.exclude(kind=BadgeKind.META)
        self.fields["required_badges"].queryset = badges
        self.fields["description"].required = True
        if self.instance.pk:
            self.initial["required_badges"] = list(self.instance.required_badges.all())
            self.initial["languages"] = self.instance.languages
        # Only the fields of the badge's kind: a micro badge is reviewed and requires no
        # badges; a milestone or meta badge counts badges and is never reviewed itself.
        if kind == BadgeKind.MICRO:
            for name in ("required_badges", *REQUIRES_FIELDS):
                del self.fields[name]
        elif kind in (BadgeKind.MILESTONE, BadgeKind.META):
            for name in REVIEW_FIELDS:
                del self.fields[name]
        if not (self.instance.pk and self.instance.image):
            del self.fields["remove_image"]

    def clean_image_upload(self):
        # Checked here as well as in the service, so that a refused image stops a new badge
        # before anything is created (the service would refuse it only after creation).
        upload = self.cleaned_data.get("image_upload")
        if upload:
            try:
                validate_badge_image(upload)
            except ValidationFailed as error:
                raise forms.ValidationError(error.message) from error
        return upload

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in VERSION_FIELDS if name in self.fields}
        data["languages"] = self.cleaned_data["languages"]
        return data


class BadgeCreateForm(BadgeVersionForm):
    slug = forms.SlugField(
        label=_("Slug"), max_length=80, help_text=_("Short name used in addresses and files.")
    )
    # Chosen before the form is shown (the page offers one link per kind), so that the
    # form holds only the fields of that kind.
    kind = forms.ChoiceField(label=_("Kind"), choices=BadgeKind.choices, widget=forms.HiddenInput)

    field_order = ["kind", "slug", "title"]


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = list(CRITERION_FORM_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        counts = [(cleaned.get(field.attr) or 0, field.maximum) for field in EVIDENCE_FIELDS]
        if not any(count for count, _maximum in counts):
            raise forms.ValidationError(_("Require at least one file, link or written reflection."))
        if any(count > maximum for count, maximum in counts):
            raise forms.ValidationError(_("At most 20 pieces of evidence of one kind."))
        return cleaned


class RubricLevelForm(forms.Form):
    name = forms.CharField(
        label=_("Level"), max_length=named(RUBRIC_LEVEL_FIELDS, "name").max_length, required=False
    )
    descriptor = forms.CharField(
        label=_("Descriptor"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_passing = forms.BooleanField(label=_("Meets the criterion"), required=False)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("descriptor") or cleaned.get("is_passing")) and not cleaned.get("name"):
            self.add_error("name", _("Give the level a name, or leave the whole row empty."))
        return cleaned


RubricFormSet = forms.formset_factory(
    RubricLevelForm, extra=0, max_num=10, absolute_max=10, validate_max=True
)


class CompetenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.framework.name} v{obj.framework.version} · {obj.code} {obj.name}"


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.framework.name} v{obj.framework.version} · {obj.code} {obj.name}"


class AlignmentForm(forms.Form):
    competence = CompetenceChoiceField(
        queryset=Competence.objects.none(), required=False, label=_("Competence")
    )
    target_level = LevelChoiceField(
        queryset=ProficiencyLevel.objects.none(),
        required=False,
        label=_("Target level"),
        help_text=_("Only for frameworks with proficiency levels."),
    )

    def __init__(self, *args, competences=None, levels=None, grouped=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = competences
        self.fields["target_level"].queryset = levels
        # Options grouped by framework version (computed once for the whole formset): the
        # levels offered next to a competence are visibly those of its framework, and a
        # small script narrows the list to them; `clean` refuses any other level.
        if grouped is not None:
            self.fields["competence"].choices = grouped["competences"]
            self.fields["target_level"].choices = grouped["levels"]

    def clean(self):
        cleaned = super().clean()
        competence, level = cleaned.get("competence"), cleaned.get("target_level")
        if level is not None and competence is None:
            self.add_error("competence", _("Choose the competence this level belongs to."))
        elif level is not None and level.framework_id != competence.framework_id:
            self.add_error(
                "target_level", _("This level belongs to another framework than the competence.")
            )
        return cleaned


AlignmentFormSet = forms.formset_factory(
    AlignmentForm, extra=0, max_num=20, absolute_max=20, validate_max=True
)


def _by_framework(items) -> list:
    """[("", "---------"), (framework label, [(pk, "code name"), ...]), ...] in list order."""
    groups: dict[int, tuple[str, list]] = {}
    for item in items:
        label = f"{item.framework.name} v{item.framework.version}"
        groups.setdefault(item.framework_id, (label, []))[1].append(
            (item.pk, f"{item.code} {item.name}")
        )
    return [("", "---------"), *groups.values()]


def grouped_alignment_choices(competences, levels) -> dict:
    return {"competences": _by_framework(competences), "levels": _by_framework(levels)}


def alignment_choices(criterion: Criterion | None):
    """Competences and levels of the newest framework versions, plus those already used."""
    newest = latest_frameworks().values("pk")
    competences = Competence.objects.filter(framework__in=newest)
    levels = ProficiencyLevel.objects.filter(framework__in=newest)
    if criterion is not None and criterion.pk:
        competences = competences | Competence.objects.filter(alignments__criterion=criterion)
        levels = levels | ProficiencyLevel.objects.filter(
            pk__in=criterion.alignments.exclude(target_level=None).values("target_level")
        )
    competences = (
        competences.distinct()
        .select_related("framework")
        .order_by("framework__name", "framework__version", "area__order", "order", "code")
    )
    levels = (
        levels.distinct()
        .select_related("framework")
        .order_by("framework__name", "framework__version", "order")
    )
    return competences, levels


# Content translations ----------------------------------------------------------------------


class TranslationLanguageForm(ParameterForm):
    """The language a translation page edits (`?language=sv`): one the site offers."""

    language = forms.ChoiceField(label=_("Translate into"), choices=())

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages


@dataclass
class TranslationRow:
    """One translated field of one record: the default text and the form field for it."""

    source: str
    field: forms.BoundField


@dataclass
class TranslationGroup:
    """The translated fields of one record, under a heading (the page's fieldsets)."""

    obj: object
    heading: str
    rows: list[TranslationRow]


class TranslationForm(forms.Form):
    """The texts of `objects` in `language`, side by side with the default texts.

    The fields come from the interchange field tables (those marked `translated`), with
    their limits: a translation is held to the same length as the text it translates.
    Fields are named "<n>-<attr>", n the record's position in `objects`.
    """

    def __init__(self, *args, objects: list, headings: list[str], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = objects
        self.language = language
        self._layout: list[tuple[object, str, list[tuple[str, str]]]] = []
        for index, (obj, heading) in enumerate(zip(objects, headings, strict=True)):
            names = []
            for spec in translated_fields_of(obj):
                name = f"{index}-{spec.attr}"
                long_text = spec.max_length > 500
                attrs = {"lang": language, "rows": 4} if long_text else {"lang": language}
                self.fields[name] = forms.CharField(
                    label=obj._meta.get_field(spec.attr).verbose_name,
                    max_length=spec.max_length,
                    required=False,
                    initial=obj.translation(spec.attr, language),
                    widget=forms.Textarea(attrs=attrs) if long_text else forms.TextInput(attrs),
                )
                names.append((name, spec.attr))
            self._layout.append((obj, heading, names))

    def groups(self) -> list[TranslationGroup]:
        return [
            TranslationGroup(
                obj=obj,
                heading=heading,
                rows=[TranslationRow(getattr(obj, attr), self[name]) for name, attr in names],
            )
            for obj, heading, names in self._layout
        ]

    def texts(self) -> dict:
        """{record: {attr: text}} for the service."""
        return {
            obj: {attr: self.cleaned_data[name] for name, attr in names}
            for obj, _heading, names in self._layout
        }
