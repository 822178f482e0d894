"""Who may do what with an application, as far as the application's own data tells
(django-rules; the object is an `Application`).

One source of truth for views, FSM transitions (`permission=` on the model) and templates.
The permissions that depend on who assesses or moderates an application (assignments,
conflicts of interest) read review's data, so they live in `review.rules`, the app that owns
that data: `applications.see_application`, `applications.start_review`,
`applications.review_application`, `applications.decide_application`,
`applications.moderate_application`. Permissions are looked up by name, so this app never
imports review.
"""

import rules

from core.rules import is_learner


@rules.predicate
def is_own_application(user, application):
    return application is not None and user.is_authenticated and application.learner_id == user.pk


@rules.predicate
def coordinates_application(user, application):
    if application is None or not user.is_authenticated:
        return False
    constellation = application.badge_version.badge.constellation
    return constellation.coordinators.filter(pk=user.pk).exists()


@rules.predicate
def is_editable(user, application):
    return application is not None and application.is_editable_by_learner


rules.add_perm("applications.start_application", is_learner)
rules.add_perm("applications.edit_evidence", is_own_application & is_editable)
# FSM transition permissions (named on the model's transitions) the learner holds.
rules.add_perm("applications.submit_application", is_own_application)
rules.add_perm("applications.withdraw_application", is_own_application)
