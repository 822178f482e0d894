"""A known history: six applications in one constellation, every figure worked out by hand
(see test_report.py for the expected values and how each is computed)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.roles import Role
from tests.factories import quality as q
from tests.factories.core import CohortFactory, UserFactory
from tests.factories.frameworks import ConstellationFactory, published_badge_version

BRUSSELS = ZoneInfo("Europe/Brussels")
T0 = datetime(2026, 1, 5, 10, 0, tzinfo=BRUSSELS)
NOW = T0 + timedelta(days=30)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


@dataclass
class Scenario:
    constellation: object
    version_a: object
    version_b: object
    ada: object
    bram: object
    cora: object
    cohort: object
    apps: dict


@pytest.fixture
def scenario(db):
    ada = UserFactory(roles=[Role.ASSESSOR], display_name="Ada Assessor")
    bram = UserFactory(roles=[Role.ASSESSOR], display_name="Bram Assessor")
    cora = UserFactory(roles=[Role.COORDINATOR], display_name="Cora Coordinator")
    constellation = ConstellationFactory(
        slug="edusta-test", name="EduSTA test", coordinators=[cora], assessors=[ada, bram]
    )
    version_a = published_badge_version(
        criteria=2, badge__constellation=constellation, badge__slug="a-planning", title="Planning"
    )
    version_b = published_badge_version(
        criteria=1,
        badge__constellation=constellation,
        badge__slug="b-reflection",
        title="Reflection",
        quality_assurance="",
        eqf_level=None,
    )
    for index, criterion in enumerate(version_a.criteria.order_by("id")):
        criterion.code = f"K{index + 1}"
        criterion.save()
    criterion = version_b.criteria.get()
    criterion.code = "K3"
    criterion.save()
    q.issuer(constellations=[constellation])

    apps = {}
    # 1: double-assessed, both approve, approved at day 4, credential.
    apps[1] = q.submitted(version_a, at=day(0))
    q.review(apps[1], assessor=ada, at=day(2), recommendation="approve", outcomes=["met", "met"])
    q.review(apps[1], assessor=bram, at=day(4), recommendation="approve", outcomes=["met", "met"])
    q.approve(apps[1], by=bram, at=day(4))
    q.credential(apps[1], issued=day(4))
    # 2: double-assessed, both request changes; round 2 approved by Ada; credential revoked.
    apps[2] = q.submitted(version_a, at=day(0))
    q.review(
        apps[2],
        assessor=ada,
        at=day(1),
        recommendation="request_changes",
        outcomes=["met", "not_yet"],
    )
    q.review(
        apps[2],
        assessor=bram,
        at=day(3),
        recommendation="request_changes",
        outcomes=["met", "not_yet"],
    )
    q.request_changes(apps[2], by=bram)
    q.submit(apps[2], at=day(10))
    q.start_review(apps[2], at=day(11))
    q.review(apps[2], assessor=ada, at=day(12), recommendation="approve", outcomes=["met", "met"])
    q.approve(apps[2], by=ada, at=day(12))
    q.credential(apps[2], issued=day(12), revoked=day(20))
    # 3: disagreement, moderation by Cora rejects at day 6.
    apps[3] = q.submitted(version_a, at=day(1))
    q.review(apps[3], assessor=ada, at=day(3), recommendation="approve", outcomes=["met", "met"])
    q.review(
        apps[3], assessor=bram, at=day(5), recommendation="reject", outcomes=["not_yet", "not_yet"]
    )
    q.to_moderation(apps[3])
    q.review(
        apps[3],
        assessor=cora,
        at=day(6),
        recommendation="reject",
        outcomes=["not_yet", "not_yet"],
        moderation=True,
    )
    q.reject(apps[3], by=cora, at=day(6))
    # 4: in review, nobody has reviewed; due at day 16: overdue at NOW (day 30).
    apps[4] = q.submitted(version_a, at=day(2))
    q.start_review(apps[4], at=day(3))
    q.assign(apps[4], ada)
    # 5: badge B, single assessor, approved at day 8, credential expired at day 20.
    apps[5] = q.submitted(version_b, at=day(3))
    q.review(apps[5], assessor=ada, at=day(8), recommendation="approve", outcomes=["met"])
    q.approve(apps[5], by=ada, at=day(8))
    q.credential(apps[5], issued=day(8), expires=day(20))
    # 6: a draft of badge B.
    apps[6] = q.draft(version_b)
    cohort = CohortFactory(slug="pilot", members=[apps[1].learner, apps[3].learner])
    q.conflict(bram, learner_user=apps[6].learner)
    return Scenario(constellation, version_a, version_b, ada, bram, cora, cohort, apps)
