from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EvidenceKind, SelfAssessmentStatus


class CriteriaField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.code} {obj.localized('title')}".strip()


class EvidenceForm(forms.Form):
    """Evidence input; the service validates content (kinds, sizes, links, HTML)."""

    kind = forms.ChoiceField(
        label=_("Kind of evidence"),
        choices=EvidenceKind.choices,
        widget=forms.RadioSelect,
        initial=EvidenceKind.FILE,
    )
    description = forms.CharField(
        label=_("Short description"),
        max_length=300,
        help_text=_("What this evidence shows, in a sentence."),
    )
    criteria = CriteriaField(
        label=_("Criteria this evidence supports"), queryset=None, required=True
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, image, office document, plain text, audio or video."),
    )
    url = forms.CharField(
        label=_("Link"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    text = forms.CharField(
        label=_("Written reflection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text, or simple formatting (paragraphs, bold, italics, lists, links)."),
    )
    is_public = forms.BooleanField(label=_("Show on my public credential"), required=False)

    INPUTS = (
        ("file", EvidenceKind.FILE),
        ("url", EvidenceKind.LINK),
        ("text", EvidenceKind.REFLECTION),
    )

    def __init__(self, *args, criteria_queryset, item=None, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].queryset = criteria_queryset
        self.item = item
        # Changing an item keeps its kind; adding "a file", "a link" or "a reflection" fixes
        # it too. Either way only the matching input is shown.
        self.fixed_kind = item.kind if item is not None else kind
        if self.fixed_kind:
            if item is not None:
                del self.fields["kind"]
            else:
                self.fields["kind"].widget = forms.HiddenInput()
                self.fields["kind"].initial = self.fixed_kind
            for name, input_kind in self.INPUTS:
                if input_kind != self.fixed_kind:
                    del self.fields[name]
                elif item is None:
                    self.fields[name].required = True
            if item is not None and item.kind == EvidenceKind.FILE:
                self.fields["file"].help_text = _("Leave empty to keep the current file.")

    def clean_kind(self):
        # A fixed kind is not up to the posted data.
        return self.fixed_kind or self.cleaned_data["kind"]


class SelfAssessmentForm(forms.Form):
    """One group of fields per criterion: met / not yet, or a rubric level; a comment."""

    def __init__(self, *args, criteria, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            existing = current.get(criterion.pk)
            levels = list(criterion.rubric_levels.all())
            label = f"{criterion.code} {criterion.localized('title')}".strip()
            if levels:
                self.fields[f"level_{criterion.pk}"] = forms.TypedChoiceField(
                    label=label,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", _("(no self-assessment)"))]
                    + [(level.pk, level.localized("name")) for level in levels],
                    initial=existing.rubric_level_id if existing else None,
                )
            else:
                self.fields[f"status_{criterion.pk}"] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", _("(no self-assessment)")), *SelfAssessmentStatus.choices],
                    initial=existing.status if existing else "",
                )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=existing.comment if existing else "",
            )

    def entries(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "criterion": c.pk,
                "status": data.get(f"status_{c.pk}") or "",
                "rubric_level": data.get(f"level_{c.pk}"),
                "comment": data.get(f"comment_{c.pk}") or "",
            }
            for c in self.criteria
        ]

    def rows(self):
        for criterion in self.criteria:
            fields = [
                self[name]
                for name in (
                    f"status_{criterion.pk}",
                    f"level_{criterion.pk}",
                    f"comment_{criterion.pk}",
                )
                if name in self.fields
            ]
            yield criterion, fields


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the assessor (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
