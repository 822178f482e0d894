"""Signals `applications` sends to the apps above it (it imports none of them).

Sent inside the transaction of the change, so receivers write in the same transaction and
defer their side effects with `transaction.on_commit`. `review` connects its receivers in
`ReviewConfig.ready`.
"""

from django.dispatch import Signal

# kwargs: application, round (applications.models.Round), actor, is_resubmission (bool)
application_submitted = Signal()
