"""A learner's application for a micro badge, its evidence and its rounds.

The state machine lives here (django-fsm-2, protected field). Transition bodies only stamp
fields; everything around a transition (permission, audit, rounds, notifications) happens in
`applications.services` / `review.services`.

Evidence is copy-on-write once submitted: a `Round` freezes the set of evidence items an
assessor reviewed; editing a frozen item creates a new item (`previous` points back) and
retires the old one from the working set, so what was reviewed never changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.uploads import served_filename
from frameworks.models import BadgeVersion, Criterion, RubricLevel


class ApplicationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("application state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application state", "Submitted")
    IN_REVIEW = "in_review", pgettext_lazy("application state", "In review")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("application state", "Changes requested")
    IN_MODERATION = "in_moderation", pgettext_lazy("application state", "In moderation")
    APPROVED = "approved", pgettext_lazy("application state", "Approved")
    REJECTED = "rejected", pgettext_lazy("application state", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")


S = ApplicationState
OPEN_STATES = (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.IN_MODERATION)
# Submitted and not yet decided: the application is assigned to assessors. An active
# assignment here is open work, in the coordinator's workload and the quality report alike.
ASSESSED_STATES = (S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.IN_MODERATION)
DECIDED_STATES = (S.APPROVED, S.REJECTED)
FINAL_STATES = (S.APPROVED, S.REJECTED, S.WITHDRAWN)


class Application(ConcurrentTransitionMixin, models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    badge_version = models.ForeignKey(
        BadgeVersion, on_delete=models.PROTECT, related_name="applications"
    )
    state = FSMField(
        _("state"),
        max_length=20,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
        protected=True,
        db_index=True,
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    review_started_at = models.DateTimeField(_("review started"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    due_at = models.DateTimeField(_("review due"), null=True, blank=True)
    round_count = models.PositiveIntegerField(_("rounds"), default=0)
    needs_two_assessors = models.BooleanField(_("two independent assessors"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "badge_version"],
                condition=~Q(state__in=["withdrawn", "rejected"]),
                name="one_open_application_per_learner_and_badge_version",
            )
        ]
        permissions = [
            ("moderate_application", "Can decide applications in moderation"),
        ]

    def __str__(self):
        return f"{self.badge_version.title} — {self.learner}"

    # --- transitions: bodies only stamp fields --------------------------------------------

    @transition(
        field=state,
        source=[S.DRAFT, S.CHANGES_REQUESTED],
        target=S.SUBMITTED,
        permission="applications.submit_application",
    )
    def submit(self, *, when, due_at):
        if self.first_submitted_at is None:
            self.first_submitted_at = when
        self.submitted_at = when
        self.due_at = due_at
        self.round_count += 1

    @transition(
        field=state,
        source=list(OPEN_STATES),
        target=S.WITHDRAWN,
        permission="applications.withdraw_application",
    )
    def withdraw(self, *, when):
        self.withdrawn_at = when

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.IN_REVIEW,
        permission="applications.start_review",
    )
    def start_review(self, *, when):
        if self.review_started_at is None:
            self.review_started_at = when

    def below_round_cap(self) -> bool:
        cap = self.badge_version.max_rounds
        return cap is None or self.round_count < cap

    @transition(
        field=state,
        source=[S.IN_REVIEW, S.IN_MODERATION],
        target=S.CHANGES_REQUESTED,
        # django-fsm types a condition as taking any Model; it is called with this one.
        conditions=[below_round_cap],  # type: ignore[list-item]
        permission="applications.decide_application",
    )
    def request_changes(self, *, by, reason=""):
        self.decided_by = by
        self.decision_reason = reason

    @transition(
        field=state,
        source=[S.IN_REVIEW, S.IN_MODERATION],
        target=S.APPROVED,
        permission="applications.decide_application",
    )
    def approve(self, *, by, when, reason=""):
        self.decided_by = by
        self.decided_at = when
        self.decision_reason = reason

    @transition(
        field=state,
        source=[S.IN_REVIEW, S.IN_MODERATION],
        target=S.REJECTED,
        permission="applications.decide_application",
    )
    def reject(self, *, by, when, reason):
        self.decided_by = by
        self.decided_at = when
        self.decision_reason = reason

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.IN_MODERATION,
        permission="applications.decide_application",
    )
    def send_to_moderation(self):
        pass

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_editable_by_learner(self) -> bool:
        return self.state in (S.DRAFT, S.CHANGES_REQUESTED)


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    REFLECTION = "reflection", _("Written reflection")


class EvidenceItem(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=12, choices=EvidenceKind.choices)
    description = models.CharField(_("short description"), max_length=300)
    criteria = models.ManyToManyField(
        Criterion, related_name="evidence", verbose_name=_("criteria")
    )
    file = models.FileField(_("file"), upload_to="evidence/", blank=True, max_length=200)
    original_filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    url = models.URLField(_("link"), max_length=2000, blank=True)
    text = models.TextField(_("reflection"), blank=True)
    is_public = models.BooleanField(
        _("show on my public credential"),
        default=False,
        help_text=_("Public evidence appears on the verification page of the credential."),
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    retired_at = models.DateTimeField(
        _("removed from the working set"), null=True, blank=True, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="file", url="", text="")
                    | Q(kind="link", text="")
                    | Q(kind="reflection", url="")
                ),
                name="evidence_fields_match_kind",
            )
        ]

    def __str__(self):
        return self.description

    @property
    def download_name(self) -> str:
        """The name the file is downloaded under: the learner's base name with the extension
        of the sniffed content type (notes.html that is plain text downloads as notes.txt),
        derived when served, so files stored under any earlier rule are named right too."""
        return served_filename(self.original_filename, self.content_type, fallback="evidence")


class RoundDecision(models.TextChoices):
    APPROVED = "approved", pgettext_lazy("round decision", "Approved")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("round decision", "Changes requested")
    REJECTED = "rejected", pgettext_lazy("round decision", "Rejected")


class Round(models.Model):
    """One submission, frozen: the evidence and self-assessment an assessor reviews."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField(_("round"))
    submitted_at = models.DateTimeField(_("submitted"))
    evidence = models.ManyToManyField(EvidenceItem, related_name="rounds", blank=True)
    learner_note = models.TextField(_("note to the assessor"), blank=True)
    # What became of this round: stamped by review.services when the decision is made.
    decision = models.CharField(
        _("decision"), max_length=20, choices=RoundDecision.choices, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="round_number_unique")
        ]

    def __str__(self):
        return f"{self.application_id} round {self.number}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)


class SelfAssessmentStatus(models.TextChoices):
    MET = "met", _("Met")
    NOT_YET = "not_yet", _("Not yet")


class SelfAssessment(models.Model):
    """The learner's own view of one criterion; `round` is empty while it is being edited,
    and a frozen copy is made for each round at submission."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="self_assessments"
    )
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.CASCADE, related_name="self_assessments"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("self-assessment"), max_length=10, choices=SelfAssessmentStatus.choices, blank=True
    )
    rubric_level = models.ForeignKey(
        RubricLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"],
                condition=Q(round__isnull=True),
                name="one_working_self_assessment",
            ),
            models.UniqueConstraint(
                fields=["round", "criterion"], name="one_self_assessment_per_round"
            ),
        ]

    def __str__(self):
        return f"{self.application_id} / {self.criterion_id}: {self.status or self.rubric_level_id}"
