"""Assignment of assessors, conflicts of interest, reviews and per-criterion judgements."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Round
from core.models import Cohort
from frameworks.models import Criterion, RubricLevel


class Assignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the application assigned automatically."),
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"],
                condition=Q(is_active=True),
                name="one_active_assignment_per_assessor",
            )
        ]

    def __str__(self):
        return f"{self.assessor} → {self.application_id}"


class ConflictOfInterest(models.Model):
    """An assessor's declaration: never assign, show or allow them this learner or cohort."""

    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts_declared"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conflicts_as_learner",
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["-declared_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(learner__isnull=False, cohort__isnull=True)
                    | Q(learner__isnull=True, cohort__isnull=False)
                ),
                name="conflict_names_learner_or_cohort",
            ),
            models.UniqueConstraint(
                fields=["assessor", "learner"], name="one_conflict_per_learner"
            ),
            models.UniqueConstraint(fields=["assessor", "cohort"], name="one_conflict_per_cohort"),
        ]

    def __str__(self):
        return f"{self.assessor}: {self.learner or self.cohort}"


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    REJECT = "reject", _("Reject")


class Review(models.Model):
    """One assessor's review of one round. Saved as a draft until submitted."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reviews")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    overall_feedback = models.TextField(_("overall feedback"), blank=True)
    reason = models.TextField(_("reason for rejection"), blank=True)
    is_submitted = models.BooleanField(_("submitted"), default=False)
    is_moderation = models.BooleanField(_("moderator's decision"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["round", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "assessor"], name="one_review_per_assessor_per_round"
            )
        ]

    def __str__(self):
        return f"{self.assessor} on {self.round}"


class JudgementOutcome(models.TextChoices):
    MET = "met", _("Met")
    NOT_YET = "not_yet", _("Not yet met")


class Judgement(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="judgements")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="judgements")
    outcome = models.CharField(
        _("judgement"), max_length=10, choices=JudgementOutcome.choices, blank=True
    )
    rubric_level = models.ForeignKey(
        RubricLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")
        ordering = ["review", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="one_judgement_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.review_id} / {self.criterion_id}: {self.outcome}"


class RequiredChange(models.Model):
    """One item of the checklist of changes an assessor requires for a criterion."""

    judgement = models.ForeignKey(
        Judgement, on_delete=models.CASCADE, related_name="required_changes"
    )
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(_("required change"), max_length=500)

    class Meta:
        verbose_name = _("required change")
        verbose_name_plural = _("required changes")
        ordering = ["judgement", "order", "id"]

    def __str__(self):
        return self.text
