"""Certificates' reactions to other apps' announcements: an approved application gets its
credential, issued by a task after the approval commits (idempotent;
`manage.py issue_pending_credentials` is the retry). Connected in `CertificatesConfig.ready`.
"""

from django.dispatch import receiver

from core.workflow import enqueue_on_commit
from review.signals import application_approved

from . import tasks


@receiver(application_approved, dispatch_uid="certificates.issue_on_approval")
def issue_on_approval(sender, *, application, **kwargs):
    enqueue_on_commit(tasks.issue_credential_for_application, application.pk)
