"""A readable name for every action the audit chain records, for the people who read it.

The codes (`application.started`) stay what the chain stores and what auditors filter and
export by; pages show these names beside them. Every code the apps record must have a name
here (a test finds the codes in the source and fails on one without).
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # Applications and their evidence.
    "application.started": _("Application started"),
    "application.submitted": _("Application submitted"),
    "application.resubmitted": _("Application resubmitted"),
    "application.withdrawn": _("Application withdrawn"),
    "application.review_started": _("Review started"),
    "application.changes_requested": _("Changes requested"),
    "application.approved": _("Application approved"),
    "application.rejected": _("Application rejected"),
    "application.sent_to_moderation": _("Sent to moderation"),
    "evidence.added": _("Evidence added"),
    "evidence.changed": _("Evidence changed"),
    "evidence.removed": _("Evidence removed"),
    # Review.
    "assignment.created": _("Assessor assigned"),
    "assignment.ended": _("Assignment ended"),
    "conflict.declared": _("Conflict of interest declared"),
    "review.submitted": _("Review submitted"),
    "review.moderated": _("Moderator decided"),
    # Frameworks, constellations and badges.
    "framework.imported": _("Framework imported"),
    "framework.translated": _("Framework texts translated"),
    "constellation.created": _("Constellation created"),
    "constellation.updated": _("Constellation changed"),
    "constellation.imported": _("Constellation imported"),
    "constellation.translated": _("Constellation texts translated"),
    "badge.created": _("Badge created"),
    "badge.updated": _("Badge draft changed"),
    "badge.new_version": _("New badge version drafted"),
    "badge.published": _("Badge version published"),
    "badge.retired": _("Badge version retired"),
    "badge.translated": _("Badge draft translated"),
    "criterion.created": _("Criterion added"),
    "criterion.updated": _("Criterion changed"),
    "criterion.deleted": _("Criterion deleted"),
    "criterion.rubric_set": _("Rubric set"),
    "criterion.alignments_set": _("Alignments set"),
    # Credentials and issuers.
    "credential.issued": _("Credential issued"),
    "credential.resigned": _("Credential signed again"),
    "credential.revoked": _("Credential revoked"),
    "credential.show_name": _("Name on the credential shown or hidden"),
    "issuer.created": _("Issuer created"),
    "issuer.updated": _("Issuer changed"),
    "issuer_key.created": _("Issuer key created"),
    "issuer_key.retired": _("Issuer key retired"),
}


def action_label(code: str) -> str:
    """The readable name of `code`; the code itself for one recorded by an older release."""
    return str(ACTION_LABELS.get(code, code))
