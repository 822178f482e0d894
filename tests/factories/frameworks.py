import factory

from frameworks.models import (
    Badge,
    BadgeKind,
    BadgeVersion,
    Competence,
    CompetenceArea,
    Constellation,
    Criterion,
    CriterionAlignment,
    Framework,
    ProficiencyLevel,
    RubricLevel,
)


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    slug = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"Framework {n}")
    version = 1
    source = "Test source"


class ProficiencyLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProficiencyLevel

    framework = factory.SubFactory(FrameworkFactory)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"L{n}")
    name = factory.Sequence(lambda n: f"Level {n}")


class CompetenceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetenceArea

    framework = factory.SubFactory(FrameworkFactory)
    order = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"{n + 1}")
    name = factory.Sequence(lambda n: f"Area {n}")


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence

    area = factory.SubFactory(CompetenceAreaFactory)
    framework = factory.SelfAttribute("area.framework")
    order = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"Competence {n}")
    description = "What this competence means."


class ConstellationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constellation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"constellation-{n}")
    name = factory.Sequence(lambda n: f"Constellation {n}")
    description = "A constellation for tests."

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.add(*extracted)

    @factory.post_generation
    def assessors(self, create, extracted, **kwargs):
        if create and extracted:
            self.assessors.add(*extracted)


class BadgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Badge

    constellation = factory.SubFactory(ConstellationFactory)
    # Zero-padded, so that badges of one test sort by slug in creation order whatever
    # the counter reached in the tests before (badge-10 would sort before badge-9).
    slug = factory.Sequence(lambda n: f"badge-{n:05d}")
    kind = BadgeKind.MICRO


class BadgeVersionFactory(factory.django.DjangoModelFactory):
    """A draft badge version; use `published_badge_version` for a published one."""

    class Meta:
        model = BadgeVersion

    badge = factory.SubFactory(BadgeFactory)
    version = 1
    title = factory.Sequence(lambda n: f"Badge {n}")
    description = "Shows a competence with evidence."
    criteria_narrative = "Meet every criterion with evidence."
    learning_outcomes = "Plans a lesson.\nReflects on practice."
    eqf_level = 6
    ects = 1
    workload_hours = 25
    quality_assurance = "Internal quality assurance of the awarding institution."
    languages = ["en"]


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    badge_version = factory.SubFactory(BadgeVersionFactory)
    order = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"K{n}")
    title = factory.Sequence(lambda n: f"Criterion {n}")
    description = "What the learner shows."
    required_files = 1


class RubricLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricLevel

    criterion = factory.SubFactory(CriterionFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Rubric level {n}")
    descriptor = "Descriptor."
    is_passing = False


class CriterionAlignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionAlignment

    criterion = factory.SubFactory(CriterionFactory)
    competence = factory.SubFactory(CompetenceFactory)


def published_badge_version(*, criteria: int = 2, **kwargs) -> BadgeVersion:
    """A published micro badge version with `criteria` criteria (each requiring one file)."""
    from django.utils import timezone

    version = BadgeVersionFactory(**kwargs)
    for _index in range(criteria):
        CriterionFactory(badge_version=version)
    version.publish(when=timezone.now())
    version.save()
    return version


def framework_with_competences(
    *,
    slug: str = "testcomp",
    areas: int = 2,
    per_area: int = 3,
    levels=("A", "B", "C"),
    version: int = 1,
) -> Framework:
    """A framework with `areas` areas of `per_area` competences (codes "1.1"…) and ordered levels."""
    framework = FrameworkFactory(slug=slug, name=f"{slug.title()} framework", version=version)
    for order, code in enumerate(levels, start=1):
        ProficiencyLevelFactory(framework=framework, order=order, code=code, name=f"Level {code}")
    for a in range(1, areas + 1):
        area = CompetenceAreaFactory(framework=framework, order=a, code=str(a), name=f"Area {a}")
        for c in range(1, per_area + 1):
            CompetenceFactory(
                area=area, framework=framework, order=c, code=f"{a}.{c}", name=f"Competence {a}.{c}"
            )
    return framework


def aligned_micro_badge(
    *, constellation, competences, level=None, published: bool = True, **kwargs
) -> BadgeVersion:
    """A micro badge version of `constellation` with one criterion aligned to `competences`."""
    from django.utils import timezone

    version = BadgeVersionFactory(badge=BadgeFactory(constellation=constellation), **kwargs)
    criterion = CriterionFactory(badge_version=version)
    for competence in competences:
        CriterionAlignmentFactory(criterion=criterion, competence=competence, target_level=level)
    if published:
        version.publish(when=timezone.now())
        version.save()
    return version
