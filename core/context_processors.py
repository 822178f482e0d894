"""Navigation by role. Entries whose URL does not exist are left out."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role

# (role, url name, label). Order is the order shown.
NAVIGATION = [
    (Role.LEARNER, "applications:my_applications", _("My applications")),
    (Role.LEARNER, "frameworks:catalogue", _("Badge catalogue")),
    (Role.LEARNER, "certificates:portfolio", _("My credentials")),
    (Role.ASSESSOR, "review:queue", _("Review queue")),
    (Role.ASSESSOR, "review:conflicts", _("Conflicts of interest")),
    (Role.COORDINATOR, "frameworks:constellation_list", _("Constellations")),
    (Role.COORDINATOR, "frameworks:framework_list", _("Frameworks")),
    (Role.COORDINATOR, "review:coordinator_overview", _("Applications & workload")),
    (Role.COORDINATOR, "certificates:issuer_list", _("Issuers & credentials")),
    (Role.AUDITOR, "quality:report", _("Quality report")),
    (Role.AUDITOR, "quality:browse", _("Records")),
    (Role.AUDITOR, "quality:audit_trail", _("Audit trail")),
    (Role.AUDITOR, "task_queue", _("Background tasks")),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items, seen = [], set()
    for role, name, label in NAVIGATION:
        if not user.has_role(role) or name in seen:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        seen.add(name)
        items.append({"url": url, "label": label, "active": False, "role": role.value})
    if user.is_staff and "task_queue" not in seen:
        # Site staff (operators) hold no role but run the background task queue.
        items.append(
            {
                "url": reverse("task_queue"),
                "label": _("Background tasks"),
                "active": False,
                "role": "staff",
            }
        )
    # The current section is the entry with the longest URL the path starts with
    # (/frameworks/constellations/… is Constellations, not Frameworks).
    matching = [
        item for item in items if request.path.startswith(item["url"]) and item["url"] != "/"
    ]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}
