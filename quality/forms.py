"""Filter and export forms. Every URL parameter is hostile: unknown values are form errors
(a 400 with a message), never a 500. The parameters are parsed and bounded by
`core.params` (dates, ids, page numbers, the raw text)."""

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from applications.models import ApplicationState
from core.models import Cohort
from core.params import BoundedDateField, IdChoiceField, ParameterForm, SlugChoiceField
from frameworks.models import Badge, BadgeVersion

from .models import ExportFormat, ExportKind
from .selectors import (
    Filters,
    allowed_constellation_ids,
    assessor_choices,
    constellations_visible_to,
)


class FilterForm(ParameterForm):
    constellation = SlugChoiceField(
        label=_("Constellation"), queryset=None, required=False, empty_label=_("All")
    )
    badge = IdChoiceField(label=_("Badge"), queryset=None, required=False, empty_label=_("All"))
    assessor = IdChoiceField(
        label=_("Assessor"), queryset=None, required=False, empty_label=_("All")
    )
    cohort = SlugChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.all(), required=False, empty_label=_("All")
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *ApplicationState.choices]
    )
    date_from = BoundedDateField(label=_("From"), required=False)
    date_to = BoundedDateField(label=_("To"), required=False)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        visible = constellations_visible_to(user=user)
        self.fields["constellation"].queryset = visible
        # Named as readers know them: the constellation and the newest version's title.
        newest_title = (
            BadgeVersion.objects.filter(badge=OuterRef("pk")).order_by("-version").values("title")
        )
        self.fields["badge"].queryset = (
            Badge.objects.filter(constellation__in=visible)
            .select_related("constellation")
            .annotate(newest_title=Subquery(newest_title[:1]))
        )
        self.fields["badge"].label_from_instance = lambda b: (
            f"{b.constellation} / {b.newest_title or b.slug}"
        )
        self.fields["assessor"].queryset = assessor_choices(allowed_constellation_ids(user=user))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period is after its end."))
        badge, constellation = cleaned.get("badge"), cleaned.get("constellation")
        if badge and constellation and badge.constellation_id != constellation.pk:
            self.add_error("badge", _("This badge is not part of the chosen constellation."))
        return cleaned

    def filters(self) -> Filters:
        """The filters (empty when the form is not valid), limited to what the user sees."""
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            constellation=data.get("constellation"),
            badge=data.get("badge"),
            assessor=data.get("assessor"),
            cohort=data.get("cohort"),
            state=data.get("state") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            allowed_constellations=allowed_constellation_ids(user=self.user),
        )


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Content"), choices=ExportKind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
    pseudonymise = forms.BooleanField(
        label=_("Pseudonymise learners (for external auditors)"),
        required=False,
        initial=True,
        help_text=_(
            "Replaces learner names and email addresses with a stable code (e.g. L-3f9a12c0). "
            "On by default: untick only for internal quality assurance."
        ),
    )


class AuditFilterForm(ParameterForm):
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = BoundedDateField(label=_("From"), required=False)
    date_to = BoundedDateField(label=_("To"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return cleaned
