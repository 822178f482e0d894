"""Demo accounts for every role (idempotent). Their logins are printed by `make run`."""

from dataclasses import dataclass

from core.models import Cohort, User
from core.roles import Role, ensure_role_groups, grant_role

DEMO_PASSWORD = "demo-badges-2026"  # noqa: S105 - published demo credential, demo data only


@dataclass
class DemoAccounts:
    coordinator: User
    auditor: User
    assessors: list[User]  # [0] Ada, [1] Bram (also a learner), [2] Chiara (declares a conflict)
    learners: list[User]  # [0] Lena is the main demo learner
    cohorts: list[Cohort]
    # For the accounts an app's demo adds (apps never import this package).
    password: str = DEMO_PASSWORD


# email, display name, roles
PEOPLE = [
    ("coordinator@example.org", "Cora Coordinator", [Role.COORDINATOR]),
    ("auditor@example.org", "Otto Auditor", [Role.AUDITOR]),
    ("assessor@example.org", "Ada Assessor", [Role.ASSESSOR]),
    ("bram@example.org", "Bram Assessor", [Role.ASSESSOR, Role.LEARNER]),
    ("chiara@example.org", "Chiara Assessor", [Role.ASSESSOR]),
    ("learner@example.org", "Lena Learner", [Role.LEARNER]),
    ("mika@example.org", "Mika Virtanen", [Role.LEARNER]),
    ("sofia@example.org", "Sofia Rossi", [Role.LEARNER]),
    ("jonas@example.org", "Jonas Berg", [Role.LEARNER]),
    ("amira@example.org", "Amira Haddad", [Role.LEARNER]),
    ("pieter@example.org", "Pieter de Vries", [Role.LEARNER]),
    ("eva@example.org", "Eva Novak", [Role.LEARNER]),
    ("tomas@example.org", "Tomás García", [Role.LEARNER]),
]
COHORTS = [
    (
        "pilot-2024",
        "Pilot cohort 2024",
        ["learner@example.org", "mika@example.org", "sofia@example.org", "jonas@example.org"],
    ),
    (
        "pilot-2025",
        "Pilot cohort 2025",
        [
            "amira@example.org",
            "pieter@example.org",
            "eva@example.org",
            "tomas@example.org",
            "bram@example.org",
        ],
    ),
]


def seed_accounts() -> DemoAccounts:
    ensure_role_groups()
    users = {}
    for email, name, roles in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
        for role in roles:
            grant_role(user, role)
        users[email] = user
    cohorts = []
    for slug, name, members in COHORTS:
        cohort, _created = Cohort.objects.get_or_create(slug=slug, defaults={"name": name})
        cohort.members.add(*(users[m] for m in members))
        cohorts.append(cohort)
    return DemoAccounts(
        coordinator=users["coordinator@example.org"],
        auditor=users["auditor@example.org"],
        assessors=[
            users["assessor@example.org"],
            users["bram@example.org"],
            users["chiara@example.org"],
        ],
        learners=[users[e] for e, _n, roles in PEOPLE if roles == [Role.LEARNER]],
        cohorts=cohorts,
    )


def login_table() -> list[tuple[str, str, str]]:
    return [(email, name, ", ".join(str(r.label) for r in roles)) for email, name, roles in PEOPLE]
