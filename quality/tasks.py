"""Background entry points: a primary key in, a service call out."""

from core.background import task


@task
def run_export(job_id: int) -> None:
    from .services import export_run  # noqa: PLC0415 - inside: services enqueue this task (tasks are leaves)

    export_run(job_id=job_id)
