"""Reactions to what happens elsewhere: an export task that failed for good."""

from django.dispatch import receiver
from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished

from . import tasks
from .services import export_task_failed


@receiver(task_finished, dispatch_uid="quality.export_task_finished")
def export_task_finished(sender, task_result, **kwargs):
    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != tasks.run_export.module_path:
        return
    job_id = (task_result.args or [task_result.kwargs.get("job_id")])[0]
    errors = task_result.errors
    last_line = errors[-1].traceback.strip().splitlines()[-1] if errors else ""
    export_task_failed(job_id=job_id, error=last_line)
