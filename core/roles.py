"""The four roles, as groups with model permissions. One person may hold several.

Model permissions say what a role may do in general (and drive the Django admin);
object-level decisions — whose application, which constellation — are django-rules
predicates in each app's rules.py.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    ASSESSOR = "assessor", _("Assessor")
    COORDINATOR = "coordinator", _("Coordinator")
    AUDITOR = "auditor", _("Auditor")


# app_label -> {role: actions}. "view" only for auditors: they change nothing.
ROLE_PERMISSIONS = {
    Role.LEARNER: {
        "applications": ("add", "change", "view"),
    },
    Role.ASSESSOR: {
        "review": ("add", "change", "view"),
        "applications": ("view",),
    },
    Role.COORDINATOR: {
        "frameworks": ("add", "change", "delete", "view"),
        "review": ("add", "change", "view"),
        "applications": ("view",),
        "certificates": ("add", "change", "view"),
        "core": ("view",),
    },
    Role.AUDITOR: dict.fromkeys(
        ("frameworks", "applications", "review", "certificates", "core", "quality"), ("view",)
    ),
}


def ensure_role_groups():
    """Create the role groups (idempotent)."""
    return {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}


def sync_role_permissions(sender=None, **kwargs):
    """post_migrate: give each role group its model permissions (idempotent)."""
    groups = ensure_role_groups()
    for role, apps in ROLE_PERMISSIONS.items():
        wanted = Permission.objects.none()
        for app_label, actions in apps.items():
            wanted |= Permission.objects.filter(
                content_type__app_label=app_label,
                codename__regex=r"^({})_".format("|".join(actions)),
            )
        groups[role].permissions.set(wanted)


def grant_role(user, role: Role) -> None:
    group, _created = Group.objects.get_or_create(name=Role(role).value)
    user.groups.add(group)
    user.__dict__.pop("role_names", None)
