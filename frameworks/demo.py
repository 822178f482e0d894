"""Demo data: the shipped frameworks and the EduSTA constellation (idempotent, via services).

The EduSTA badge names come from the project; the two badges of the "Enabling Action"
milestone are invented for the demo and marked as illustrative, as are the N-of-M rules.
"""

import json
from pathlib import Path

from django.db import transaction

from .models import Competence, Constellation, ProficiencyLevel
from .services import (
    FrameworkImportResult,
    badge_create,
    badge_new_draft,
    badge_publish,
    badge_version_update,
    constellation_create,
    criterion_create,
    criterion_set_alignments,
    criterion_set_rubric,
    framework_import,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_FRAMEWORKS = ["greencomp.json", "digcompedu.json"]
QA = "Internal quality assurance of the awarding institution; criteria and rubrics reviewed by the EduSTA partnership."

RUBRIC_4 = [
    ("Beginning", "The evidence touches on the criterion but stays general or descriptive.", False),
    (
        "Developing",
        "The evidence addresses the criterion with some examples; links to practice are thin.",
        False,
    ),
    (
        "Proficient",
        "The evidence addresses the criterion fully, with concrete examples from the learner's own teaching.",
        True,
    ),
    (
        "Exemplary",
        "As proficient, and the learner draws transferable conclusions others could use.",
        True,
    ),
]
RUBRIC_3 = [
    ("Not yet", "The criterion is not yet met by the evidence.", False),
    ("Met", "The evidence shows the criterion is met in the learner's own context.", True),
    (
        "Exceeded",
        "The evidence goes beyond the criterion, e.g. by involving colleagues or learners.",
        True,
    ),
]

# slug, title, description, outcomes, alignments [(framework, code, level)], review settings,
# criteria [(title, description, files, links, reflections, rubric)], extra fields
MICRO = [
    (
        "knowledgeable-problem-articulator",
        "Knowledgeable Problem Articulator",
        "Frames a sustainability challenge from the learner's own teaching context, with its causes, scale and the people it affects.",
        [
            "Describes a local sustainability challenge with its causes and consequences.",
            "Identifies who is affected and who can act.",
        ],
        [("greencomp", "2.3", None), ("greencomp", "1.1", None), ("digcompedu", "2.1", "B1")],
        {},
        [
            (
                "Problem description",
                "A short written description of a sustainability challenge relevant to your learners, with sources.",
                1,
                1,
                0,
                RUBRIC_4,
            ),
            (
                "Stakeholder map",
                "A map or table of the people and organisations involved and their interests.",
                1,
                0,
                0,
                None,
            ),
            (
                "Reflection on framing",
                "How did the way you framed the problem change while you worked on it?",
                0,
                0,
                1,
                None,
            ),
        ],
        {"validity_months": 36},
    ),
    (
        "critical-developer",
        "Critical Developer",
        "Examines sustainability claims and teaching materials critically and improves them with learners.",
        [
            "Evaluates sustainability claims in teaching material against evidence.",
            "Revises a resource to remove bias or unsupported claims.",
        ],
        [("greencomp", "2.2", None), ("digcompedu", "6.1", "B2")],
        {"double_assessment": "all"},
        [
            (
                "Analysis of a teaching resource",
                "An annotated analysis of a resource you use, naming claims, sources and assumptions.",
                1,
                0,
                0,
                RUBRIC_4,
            ),
            ("Revised resource", "The improved resource, or a link to it.", 0, 1, 0, None),
        ],
        {},
    ),
    (
        "complexity-embracer",
        "Complexity Embracer",
        "Works with uncertainty and interconnected causes when planning teaching about sustainability.",
        [
            "Represents a sustainability issue as a system of interacting parts.",
            "Plans a lesson that keeps uncertainty visible to learners.",
        ],
        [("greencomp", "2.1", None), ("greencomp", "3.2", None)],
        {"max_rounds": 2},
        [
            (
                "Systems map",
                "A systems map of an issue you teach, with feedback loops marked.",
                1,
                0,
                0,
                RUBRIC_3,
            ),
            (
                "Lesson plan",
                "A lesson plan in which learners explore an uncertain situation.",
                1,
                0,
                0,
                None,
            ),
            (
                "Reflection on uncertainty",
                "What did you and your learners find hard about not knowing the answer?",
                0,
                0,
                1,
                None,
            ),
        ],
        {"validity_months": 36},
    ),
    (
        "systems-thinking-promoter",
        "Systems Thinking Promoter",
        "Designs learning activities in which learners trace connections across time, place and scale.",
        [
            "Designs an activity that develops learners' systems thinking.",
            "Uses collaborative digital tools for modelling a system.",
        ],
        [("greencomp", "2.1", None), ("digcompedu", "3.3", "B1")],
        {},
        [
            (
                "Activity design",
                "The design of a learning activity, with goals and steps.",
                1,
                0,
                0,
                RUBRIC_4,
            ),
            (
                "Learner work sample",
                "Anonymised examples of what learners produced, or a link to them.",
                0,
                1,
                0,
                None,
            ),
        ],
        {},
    ),
    (
        "futures-thinking-catalyser",
        "Futures Thinking Catalyser",
        "Helps learners imagine alternative futures and connect them with choices made today.",
        [
            "Runs a futures activity (scenarios, backcasting) with learners.",
            "Relates learners' visions to concrete actions.",
        ],
        [("greencomp", "3.1", None), ("greencomp", "3.3", None), ("digcompedu", "5.3", "B1")],
        {"review_days": 7},
        [
            (
                "Futures activity",
                "A description of the futures activity and the material used.",
                1,
                1,
                0,
                None,
            ),
            (
                "Reflection on learners' visions",
                "What futures did learners describe, and what surprised you?",
                0,
                0,
                1,
                RUBRIC_3,
            ),
        ],
        {"validity_months": 36},
    ),
    (
        "value-awareness-supporter",
        "Value Awareness Supporter",
        "Supports learners in recognising and discussing the values behind sustainability choices.",
        [
            "Facilitates a discussion of values related to sustainability.",
            "Handles disagreement respectfully and fairly.",
        ],
        [("greencomp", "1.1", None), ("greencomp", "1.2", None)],
        {},
        [
            (
                "Discussion plan",
                "A plan for a values discussion, including how you make room for different views.",
                1,
                0,
                0,
                None,
            ),
            (
                "Reflection on the discussion",
                "How did the discussion go, and how did you deal with disagreement?",
                0,
                0,
                1,
                RUBRIC_4,
            ),
        ],
        {},
    ),
    (
        "community-action-facilitator",
        "Community Action Facilitator",
        "Illustrative name (invented for the demo): organises a sustainability action together with learners and the local community.",
        [
            "Plans a collective sustainability action with learners and partners.",
            "Evaluates the action with those involved.",
        ],
        [("greencomp", "4.2", None), ("digcompedu", "1.2", "B1")],
        {},
        [
            (
                "Action plan",
                "The plan of the action: goals, partners, roles, timeline.",
                1,
                0,
                0,
                None,
            ),
            (
                "Documentation of the action",
                "Photos, a report or a link showing the action took place.",
                0,
                1,
                0,
                RUBRIC_3,
            ),
        ],
        {},
    ),
    (
        "sustainable-practice-initiator",
        "Sustainable Practice Initiator",
        "Illustrative name (invented for the demo): starts and sustains a change towards sustainable practice in the learner's own school.",
        [
            "Initiates a sustainable practice in the school.",
            "Shows respect for nature in everyday school life.",
        ],
        [("greencomp", "4.3", None), ("greencomp", "1.3", None)],
        {},
        [
            ("Initiative description", "What you changed, why, and who joined in.", 1, 0, 0, None),
            (
                "Reflection on your role",
                "What did you learn about yourself as someone who starts change?",
                0,
                0,
                1,
                None,
            ),
        ],
        {"validity_months": 36},
    ),
    (
        "conscious-change-agent",
        "Conscious Change Agent",
        "Reflects systematically on the learner's own practice as an educator for sustainability and plans the next steps.",
        [
            "Reflects critically on own teaching for sustainability.",
            "Sets and follows a personal development plan.",
        ],
        [("greencomp", "1.1", None), ("greencomp", "3.2", None), ("digcompedu", "1.3", "B2")],
        {},
        [
            (
                "Reflective essay",
                "A reflective essay on how your teaching for sustainability has changed.",
                0,
                0,
                1,
                RUBRIC_4,
            ),
            (
                "Development plan",
                "Your plan for the next year, with goals and how you will check progress.",
                1,
                0,
                0,
                None,
            ),
        ],
        {},
    ),
]
# slug, title, description, kind, count, required slugs
COMPOSITE = [
    (
        "sustainability-literacy",
        "Sustainability Literacy",
        "Sustainability competence: understanding and framing sustainability problems.",
        "milestone",
        2,
        ["knowledgeable-problem-articulator", "critical-developer", "complexity-embracer"],
    ),
    (
        "learning-ecosystem-design",
        "Learning Ecosystem Design",
        "Educational competence: designing learning for sustainability.",
        "milestone",
        2,
        ["systems-thinking-promoter", "futures-thinking-catalyser", "value-awareness-supporter"],
    ),
    (
        "enabling-action",
        "Enabling Action",
        "Action competence: acting for sustainability with learners and communities.",
        "milestone",
        1,
        ["community-action-facilitator", "sustainable-practice-initiator"],
    ),
    (
        "reflexive-praxis",
        "Reflexive Praxis",
        "Reflective competence: examining one's own practice as an educator for sustainability.",
        "milestone",
        1,
        ["conscious-change-agent"],
    ),
    (
        "sustainable-future-educator",
        "Sustainable Future Educator",
        "The meta badge of the constellation, earned through all four milestones.",
        "meta",
        4,
        [
            "sustainability-literacy",
            "learning-ecosystem-design",
            "enabling-action",
            "reflexive-praxis",
        ],
    ),
]


def seed_frameworks(actor=None) -> list[FrameworkImportResult]:
    """Import the shipped frameworks (idempotent: unchanged files import nothing)."""
    return [
        framework_import(
            data=json.loads((DATA_DIR / name).read_text(encoding="utf-8")), actor=actor
        )
        for name in SHIPPED_FRAMEWORKS
    ]


def _common_fields(kind: str) -> dict:
    hours, ects, eqf = {"micro": (25, 1, 6), "milestone": (50, 2, 6), "meta": (200, 8, 7)}[kind]
    return {
        "eqf_level": eqf,
        "ects": ects,
        "workload_hours": hours,
        "assessment_type": "artefact",
        "participation_form": "online" if kind == "micro" else "blended",
        "quality_assurance": QA,
        "languages": ["en"],
        "criteria_narrative": "Submit the evidence asked for by each criterion. An assessor reviews it against the criteria and rubric.",
    }


@transaction.atomic
def seed(accounts) -> None:
    coordinator = accounts.coordinator
    frameworks = {
        result.framework.slug: result.framework for result in seed_frameworks(actor=coordinator)
    }
    if Constellation.objects.filter(slug="edusta").exists():
        return
    constellation = constellation_create(
        actor=coordinator,
        slug="edusta",
        name="Sustainable Future Educator (EduSTA)",
        description=(
            "The badge constellation of the Erasmus+ Teacher Academy EduSTA: nine micro badges, four "
            "milestones and the meta badge Sustainable Future Educator, aligned with GreenComp. "
            "Illustrative: the names of the two Enabling Action micro badges and the N-of-M rules were "
            "invented for this demo."
        ),
        is_illustrative=True,
        coordinators=[coordinator],
        assessors=list(accounts.assessors),
        moderators=[],
    )
    competences = {
        (c.framework.slug, c.code): c
        for c in Competence.objects.filter(framework__in=frameworks.values()).select_related(
            "framework"
        )
    }
    levels = {
        (lv.framework.slug, lv.code): lv
        for lv in ProficiencyLevel.objects.filter(framework__in=frameworks.values()).select_related(
            "framework"
        )
    }
    versions = {}
    for slug, title, description, outcomes, alignments, review, criteria, extra in MICRO:
        fields = _common_fields("micro") | {"review_days": 14} | review | extra
        version = badge_create(
            actor=coordinator,
            constellation=constellation,
            slug=slug,
            kind="micro",
            title=title,
            description=description,
            learning_outcomes="\n".join(outcomes),
            **fields,
        )
        for index, (ctitle, cdescription, files, links, reflections, rubric) in enumerate(
            criteria, start=1
        ):
            criterion = criterion_create(
                actor=coordinator,
                version=version,
                code=f"C{index}",
                title=ctitle,
                description=cdescription,
                required_files=files,
                required_links=links,
                required_reflections=reflections,
            )
            if rubric:
                criterion_set_rubric(
                    actor=coordinator,
                    criterion=criterion,
                    levels=[{"name": n, "descriptor": d, "is_passing": p} for n, d, p in rubric],
                )
            # The badge's alignments go on its first criterion; GreenComp ones on every criterion
            # would double-count in the coverage matrix without adding information.
            if index == 1:
                criterion_set_alignments(
                    actor=coordinator,
                    criterion=criterion,
                    alignments=[
                        (competences[(fw, code)], levels[(fw, level)] if level else None)
                        for fw, code, level in alignments
                    ],
                )
        badge_publish(actor=coordinator, version=version)
        versions[slug] = version
    for slug, title, description, kind, count, required in COMPOSITE:
        version = badge_create(
            actor=coordinator,
            constellation=constellation,
            slug=slug,
            kind=kind,
            title=title,
            description=description,
            learning_outcomes=f"Holds {count} of the {len(required)} badges that make up {title}.",
            required_count=count,
            required_badges=[versions[s].badge for s in required],
            validity_months=36 if kind == "meta" else None,
            **_common_fields(kind),
        )
        badge_publish(actor=coordinator, version=version)
        versions[slug] = version
    # A second version in draft, to show versioning.
    draft = badge_new_draft(actor=coordinator, version=versions["value-awareness-supporter"])
    badge_version_update(
        actor=coordinator,
        version=draft,
        description=draft.description + " Version 2 adds working with learners' families.",
        learning_outcomes=draft.learning_outcomes
        + "\nInvolves families in conversations about values.",
    )
