"""Signals `review` sends to the apps above it (it imports none of them).

Sent inside the transaction of the decision, so receivers write in the same transaction and
defer their side effects with `transaction.on_commit` (`core.workflow.enqueue_on_commit`).
`certificates` issues the credential of an approved application from its receiver
(`certificates/receivers.py`); `manage.py issue_pending_credentials` is the retry.
"""

from django.dispatch import Signal

# kwargs: application (applications.models.Application, now approved), actor (the assessor
# or moderator who decided)
application_approved = Signal()
