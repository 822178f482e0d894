"""Competence frameworks, and the constellations of badges designed against them.

A framework is versioned: re-importing a changed framework creates a new `Framework` row
(same slug, next version) and badges keep pointing at the competences they were aligned to.

A badge has a stable identity (`Badge`: constellation, slug, kind) and versions
(`BadgeVersion`: all the content). A published version is immutable; editing creates the
next draft version. Applications and credentials point at the version.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.i18n import Translatable


class Framework(Translatable):
    slug = models.SlugField(_("slug"), max_length=80)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source citation"), max_length=500, blank=True)
    source_version = models.CharField(
        _("edition"), max_length=50, blank=True, help_text=_("The publisher's edition, e.g. 2022.")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("competence framework")
        verbose_name_plural = _("competence frameworks")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="framework_slug_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.localized('name')} (v{self.version})"


class ProficiencyLevel(Translatable):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="level_code_unique"),
            models.UniqueConstraint(fields=["framework", "order"], name="level_order_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.localized('name')}"


class CompetenceArea(Translatable):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.localized('name')}"


class Competence(Translatable):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competences")
    area = models.ForeignKey(CompetenceArea, on_delete=models.CASCADE, related_name="competences")
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["framework", "area__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competence_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.localized('name')}"


class Constellation(Translatable):
    """A designed set of badges: micro badges, milestones built of them, a meta badge."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_illustrative = models.BooleanField(
        _("contains illustrative content"),
        default=False,
        help_text=_("Marks demo content whose names or details are invented."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_constellations", blank=True
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="assessed_constellations",
        blank=True,
        help_text=_("Assessors eligible for this constellation's applications."),
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="moderated_constellations",
        blank=True,
        help_text=_("Besides coordinators, who may decide applications in moderation."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("constellation")
        verbose_name_plural = _("constellations")
        ordering = ["name"]

    def __str__(self):
        return self.localized("name")


class BadgeKind(models.TextChoices):
    MICRO = "micro", _("Micro badge")
    MILESTONE = "milestone", _("Milestone badge")
    META = "meta", _("Meta badge")


# The kind of badge a milestone or meta badge counts (a micro badge counts none).
REQUIRED_KIND: dict[str, BadgeKind] = {
    BadgeKind.MILESTONE: BadgeKind.MICRO,
    BadgeKind.META: BadgeKind.MILESTONE,
}


def wrong_required_kind(kind: str, slug: str) -> str:
    """Why the badge `slug` cannot count for a badge of `kind` (a milestone or a meta badge).
    One sentence per kind, so that no stored code ("micro") is set into the reader's text."""
    if kind == BadgeKind.MILESTONE:
        message = _("“%(slug)s” is not a micro badge; a milestone counts micro badges")
    else:
        message = _("“%(slug)s” is not a milestone; a meta badge counts milestones")
    return str(message) % {"slug": slug}


class Badge(models.Model):
    """The stable identity of a badge across its versions."""

    constellation = models.ForeignKey(
        Constellation, on_delete=models.CASCADE, related_name="badges"
    )
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=BadgeKind.choices)
    order = models.PositiveIntegerField(_("order"), default=0)

    # Not stored: set on the badges `frameworks.selectors.constellation_badges` lists.
    latest: "BadgeVersion | None"
    live: "BadgeVersion | None"

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["constellation", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["constellation", "slug"], name="badge_slug_unique")
        ]

    def __str__(self):
        return self.slug


class BadgeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("badge status", "Draft")
    PUBLISHED = "published", pgettext_lazy("badge status", "Published")
    RETIRED = "retired", pgettext_lazy("badge status", "Retired")


class AssessmentType(models.TextChoices):
    ARTEFACT = "artefact", _("Artefact (portfolio) assessment")
    WRITTEN = "written", _("Written examination")
    CONTINUOUS = "continuous", _("Continuous evaluation")


class ParticipationForm(models.TextChoices):
    ONLINE = "online", _("Online")
    PRESENTIAL = "presential", _("On site")
    BLENDED = "blended", _("Blended")


class DoubleAssessment(models.TextChoices):
    NONE = "none", _("One assessor")
    ALL = "all", _("Two independent assessors for every application")
    SAMPLED = "sampled", _("Two independent assessors for a sampled share")


class BadgeVersion(ConcurrentTransitionMixin, Translatable):
    """One version of a badge: everything an Open Badge and an EU micro-credential need."""

    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"), default=1)
    status = FSMField(
        _("status"),
        max_length=10,
        choices=BadgeStatus.choices,
        default=BadgeStatus.DRAFT,
        protected=True,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    image = models.FileField(_("image"), upload_to="badge-images/", blank=True, max_length=200)
    criteria_narrative = models.TextField(_("criteria narrative"), blank=True)
    learning_outcomes = models.TextField(
        _("learning outcomes"), blank=True, help_text=_("One learning outcome per line.")
    )
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    ects = models.DecimalField(
        _("ECTS credits"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    workload_hours = models.PositiveIntegerField(_("workload in hours"), null=True, blank=True)
    assessment_type = models.CharField(
        _("type of assessment"),
        max_length=20,
        choices=AssessmentType.choices,
        default=AssessmentType.ARTEFACT,
    )
    participation_form = models.CharField(
        _("form of participation"),
        max_length=20,
        choices=ParticipationForm.choices,
        default=ParticipationForm.ONLINE,
    )
    quality_assurance = models.CharField(
        _("type of quality assurance"),
        max_length=500,
        blank=True,
        help_text=_("E.g. internal quality assurance of the awarding institution."),
    )
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    validity_months = models.PositiveIntegerField(
        _("validity in months"), null=True, blank=True, help_text=_("Empty: never expires.")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Review settings (micro badges).
    max_rounds = models.PositiveIntegerField(
        _("maximum number of rounds"),
        null=True,
        blank=True,
        help_text=_("Empty: unlimited. At the cap only approve or reject remain."),
    )
    review_days = models.PositiveIntegerField(
        _("review deadline in days"), default=14, validators=[MinValueValidator(1)]
    )
    double_assessment = models.CharField(
        _("independent assessors"),
        max_length=10,
        choices=DoubleAssessment.choices,
        default=DoubleAssessment.NONE,
    )
    sample_percent = models.PositiveSmallIntegerField(
        _("sampled share (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    hide_assessors = models.BooleanField(
        _("hide assessor names from learners and reports"), default=False
    )
    # Milestone and meta badges: N of the required badges.
    required_count = models.PositiveIntegerField(_("how many are required"), null=True, blank=True)
    required_badges = models.ManyToManyField(
        Badge, related_name="required_by", blank=True, verbose_name=_("badges that count")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("badge version")
        verbose_name_plural = _("badge versions")
        ordering = ["badge", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["badge", "version"], name="badge_version_unique"),
            models.UniqueConstraint(
                fields=["badge"],
                condition=Q(status="draft"),
                name="one_draft_per_badge",
            ),
        ]

    def __str__(self):
        return f"{self.localized('title')} (v{self.version})"

    @transition(
        field=status,
        source=BadgeStatus.DRAFT,
        target=BadgeStatus.PUBLISHED,
        permission="frameworks.publish_badgeversion",
    )
    def publish(self, *, when):
        self.published_at = when

    @transition(
        field=status,
        source=BadgeStatus.PUBLISHED,
        target=BadgeStatus.RETIRED,
        permission="frameworks.retire_badgeversion",
    )
    def retire(self):
        pass

    @property
    def is_published(self) -> bool:
        return self.status == BadgeStatus.PUBLISHED

    @property
    def learning_outcome_list(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]


class Criterion(Translatable):
    """What a learner must show for a micro badge, and what evidence proves it."""

    badge_version = models.ForeignKey(
        BadgeVersion, on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    required_files = models.PositiveSmallIntegerField(_("files required"), default=0)
    required_links = models.PositiveSmallIntegerField(_("links required"), default=0)
    required_reflections = models.PositiveSmallIntegerField(
        _("written reflections required"), default=0
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["badge_version", "order", "id"]

    def __str__(self):
        return self.localized("title")

    @property
    def has_evidence_requirement(self) -> bool:
        return bool(self.required_files or self.required_links or self.required_reflections)


class RubricLevel(Translatable):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="rubric_levels")
    order = models.PositiveIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    descriptor = models.TextField(_("descriptor"), blank=True)
    is_passing = models.BooleanField(_("meets the criterion"), default=False)

    class Meta:
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        ordering = ["criterion", "order"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "order"], name="rubric_order_unique")
        ]

    def __str__(self):
        return self.localized("name")


class CriterionAlignment(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="alignments")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="alignments")
    target_level = models.ForeignKey(
        ProficiencyLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "competence"], name="alignment_unique")
        ]

    def __str__(self):
        return f"{self.criterion} → {self.competence}"
