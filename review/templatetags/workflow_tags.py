from django import template
from django.utils.translation import gettext as _

from review import selectors

register = template.Library()


@register.filter
def criterion_fields(form, criterion):
    """The review form's fields for one criterion (judgement, feedback, required changes)."""
    return form.fields_for(criterion)


@register.simple_tag
def round_feedback(application, round_, criteria, *, is_owner, all_submitted=False):
    """The feedback of a decided round, per criterion and overall, as the viewer may read it:
    the decisive reviews (the moderator's if there is one), or — with `all_submitted`, for
    anyone but the learner — every submitted review. Assessors' names are hidden from the
    learner where the badge says so.

    Returns {"reviews": the reviews shown, "feedback": [(criterion, [(reviewer label,
    judgement)])] (None without a round), "overall": [(reviewer label, review)]}."""
    if round_ is None:
        return {"reviews": [], "feedback": None, "overall": []}
    reviews = selectors.reviews_by_round(application).get(round_.number, [])
    shown = selectors.decisive_reviews(round_, reviews)
    if all_submitted and not is_owner and round_.is_decided:
        shown = [r for r in reviews if r.is_submitted]
    hide_names = application.badge_version.hide_assessors and is_owner
    labels = [_reviewer_label(review, index, hide_names) for index, review in enumerate(shown, 1)]
    rows = []
    for criterion in criteria:
        entries = []
        for label, review in zip(labels, shown, strict=True):
            judgement = next(
                (j for j in review.judgements.all() if j.criterion_id == criterion.pk), None
            )
            if judgement is not None:
                entries.append((label, judgement))
        rows.append((criterion, entries))
    return {
        "reviews": shown,
        "feedback": rows,
        "overall": [
            (label, review)
            for label, review in zip(labels, shown, strict=True)
            if review.overall_feedback or review.reason
        ],
    }


def _reviewer_label(review, index: int, hide_names: bool) -> str:
    base = _("Moderator") if review.is_moderation else _("Assessor %(number)s") % {"number": index}
    return base if hide_names else f"{base}: {review.assessor}"
