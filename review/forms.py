from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from applications.models import ApplicationState
from core.models import Cohort
from core.params import ParameterForm, SlugField

from .models import JudgementOutcome, Recommendation
from .selectors import QUEUE_SORTS
from .services import JudgementInput


class ReviewForm(forms.Form):
    """Per criterion a judgement (met / not yet met, or a rubric level), feedback and the
    checklist of required changes; then overall feedback and the decision."""

    overall_feedback = forms.CharField(
        label=_("Overall feedback"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendation = forms.ChoiceField(
        label=_("Decision"), required=False, widget=forms.RadioSelect, choices=()
    )
    reason = forms.CharField(
        label=_("Reason (required to reject)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria, review=None, allow_changes=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        existing = {j.criterion_id: j for j in review.judgements.all()} if review else {}
        choices = [
            (value, label)
            for value, label in Recommendation.choices
            if allow_changes or value != Recommendation.REQUEST_CHANGES
        ]
        self.fields["recommendation"].choices = choices
        if review is not None:
            self.fields["overall_feedback"].initial = review.overall_feedback
            self.fields["recommendation"].initial = review.recommendation
            self.fields["reason"].initial = review.reason
        for criterion in criteria:
            judgement = existing.get(criterion.pk)
            levels = list(criterion.rubric_levels.all())
            if levels:
                self.fields[f"level_{criterion.pk}"] = forms.TypedChoiceField(
                    label=_("Rubric level"),
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "—")]
                    + [
                        (
                            level.pk,
                            f"{level.localized('name')}" + (" ✓" if level.is_passing else ""),
                        )
                        for level in levels
                    ],
                    initial=judgement.rubric_level_id if judgement else None,
                )
            else:
                self.fields[f"outcome_{criterion.pk}"] = forms.ChoiceField(
                    label=_("Judgement"),
                    required=False,
                    widget=forms.RadioSelect,
                    choices=JudgementOutcome.choices,
                    initial=judgement.outcome if judgement else "",
                )
            self.fields[f"feedback_{criterion.pk}"] = forms.CharField(
                label=_("Feedback"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=judgement.feedback if judgement else "",
            )
            self.fields[f"changes_{criterion.pk}"] = forms.CharField(
                label=_("Required changes (one per line)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial="\n".join(c.text for c in judgement.required_changes.all())
                if judgement
                else "",
            )

    def fields_for(self, criterion):
        return [
            self[name]
            for name in (
                f"outcome_{criterion.pk}",
                f"level_{criterion.pk}",
                f"feedback_{criterion.pk}",
                f"changes_{criterion.pk}",
            )
            if name in self.fields
        ]

    def judgements(self) -> list[JudgementInput]:
        data = self.cleaned_data
        return [
            JudgementInput(
                criterion_id=c.pk,
                outcome=data.get(f"outcome_{c.pk}") or "",
                rubric_level_id=data.get(f"level_{c.pk}"),
                feedback=data.get(f"feedback_{c.pk}") or "",
                required_changes=[
                    line
                    for line in (data.get(f"changes_{c.pk}") or "").splitlines()
                    if line.strip()
                ],
            )
            for c in self.criteria
        ]


class ConflictForm(forms.Form):
    learner_email = forms.EmailField(label=_("A learner (email address)"), required=False)
    cohort = forms.ModelChoiceField(
        label=_("Or a whole cohort"), queryset=Cohort.objects.order_by("name"), required=False
    )
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        email, cohort = data.get("learner_email"), data.get("cohort")
        if bool(email) == bool(cohort):
            raise forms.ValidationError(_("Name either a learner or a cohort."))
        if email:
            learner = get_user_model().objects.filter(email__iexact=email).first()
            if learner is None:
                self.add_error("learner_email", _("No learner has this email address."))
            data["learner"] = learner
        return data


class AssignForm(forms.Form):
    assessor = forms.ModelChoiceField(label=_("Assessor"), queryset=None)

    def __init__(self, *args, assessors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = assessors


_STATES = [("", _("Default")), ("all", _("All states")), *ApplicationState.choices]
_FLAG = [("", "—"), ("0", _("no")), ("1", _("yes"))]


class QueueFilterForm(ParameterForm):
    """The review queue's URL parameters (checked by `core.params`)."""

    state = forms.ChoiceField(label=_("State"), required=False, choices=_STATES)
    badge = SlugField(label=_("Badge"), required=False, max_length=80)
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=[(key, key) for key in QUEUE_SORTS]
    )
    overdue = forms.ChoiceField(label=_("Overdue only"), required=False, choices=_FLAG)


class OverviewFilterForm(ParameterForm):
    """The coordinator overview's URL parameters (checked by `core.params`)."""

    state = forms.ChoiceField(label=_("State"), required=False, choices=_STATES)
    badge = SlugField(label=_("Badge"), required=False, max_length=80)
    unassigned = forms.ChoiceField(label=_("Unassigned only"), required=False, choices=_FLAG)
