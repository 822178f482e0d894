"""The task queue's fault handling, in process: retries with backoff, recovery of runs whose
worker stopped (export jobs included), the operator's page and commands. The worker loop is
the real one (core.worker), run in batch mode against the test database."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import background
from core.models import TaskWorker
from core.roles import Role
from core.worker import ResilientWorker
from quality.models import ExportFormat, ExportJob, ExportKind, ExportStatus
from quality.tasks import run_export
from tests.core import fault_tasks
from tests.factories.core import UserFactory


@pytest.fixture
def queue(settings, transactional_db):
    # Committed, as in production: the worker loop closes connections that sit in an open
    # transaction (close_old_connections), which would end a test's wrapping transaction.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RETRY_BACKOFF = 0  # queued again at once: one batch runs every attempt
    settings.TASK_MAX_ATTEMPTS = 4
    settings.TASK_STALE_AFTER = 60


def run_queue() -> None:
    """Run every task that is ready, as `run_worker --batch` does (without the heartbeat)."""
    worker = ResilientWorker(
        heartbeat_interval=60,
        queue_names=["default"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    )
    worker._run_reconnecting()


def claimed_by_a_dead_worker(result, *, silent_for: timedelta) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("dead-worker")
    TaskWorker.objects.create(
        worker_id="dead-worker", hostname="gone", pid=4242, last_seen=timezone.now() - silent_for
    )
    return row


def test_a_failing_task_is_retried_and_succeeds_on_a_later_attempt(queue, tmp_path):
    counter = tmp_path / "counter"
    result = fault_tasks.fail_until_attempt.enqueue(str(counter), 3)

    run_queue()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 3
    assert row.worker_ids == ["test-worker"] * 3
    assert counter.read_text().splitlines() == ["attempt"] * 3


def test_a_retry_waits_for_the_backoff(queue, settings, tmp_path):
    settings.TASK_RETRY_BACKOFF = 30
    counter = tmp_path / "counter"
    before = timezone.now()
    result = fault_tasks.fail_until_attempt.enqueue(str(counter), 3)

    run_queue()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert row.worker_ids == ["test-worker"]
    assert row.exception_class_path == "builtins.RuntimeError"
    assert row.traceback.strip().splitlines()[-1] == "RuntimeError: attempt 1 fails on purpose"
    assert before + timedelta(seconds=30) <= row.run_after <= timezone.now() + timedelta(seconds=30)


def test_the_backoff_doubles_up_to_its_maximum(settings):
    settings.TASK_RETRY_BACKOFF = 30
    settings.TASK_RETRY_BACKOFF_MAX = 100

    assert [background.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_a_task_fails_for_good_after_its_last_attempt(queue, tmp_path):
    counter = tmp_path / "counter"
    result = fault_tasks.always_fails.enqueue(str(counter))

    run_queue()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert len(row.worker_ids) == 2
    assert counter.read_text().splitlines() == ["attempt", "attempt"]


def test_a_task_declared_without_the_policy_runs_once(queue, tmp_path):
    counter = tmp_path / "counter"
    result = fault_tasks.fails_once_declared_plainly.enqueue(str(counter))

    run_queue()

    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED
    assert counter.read_text().splitlines() == ["attempt"]


def test_the_run_of_a_worker_that_went_silent_is_recovered_and_completes(queue, tmp_path):
    done = tmp_path / "done"
    result = fault_tasks.record.enqueue(str(done), "ran")
    claimed_by_a_dead_worker(result, silent_for=timedelta(seconds=61))

    assert background.recover_stale_runs() == 1
    run_queue()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["dead-worker", "test-worker"]
    assert done.read_text().splitlines() == ["ran"]
    assert TaskWorker.objects.filter(worker_id="dead-worker").exists() is True


def test_the_run_of_a_worker_that_still_reports_is_left_alone(queue, tmp_path):
    result = fault_tasks.record.enqueue(str(tmp_path / "done"), "ran")
    claimed_by_a_dead_worker(result, silent_for=timedelta(seconds=5))

    assert background.recover_stale_runs() == 0
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING


def test_a_stale_run_without_attempts_left_fails(queue, settings, tmp_path):
    settings.TASK_MAX_ATTEMPTS = 1
    result = fault_tasks.record.enqueue(str(tmp_path / "done"), "ran")
    claimed_by_a_dead_worker(result, silent_for=timedelta(minutes=5))

    assert background.recover_stale_runs() == 1

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.traceback == "The worker dead-worker stopped responding while running this task."


def _export_job(user, **fields) -> ExportJob:
    return ExportJob.objects.create(
        requested_by=user,
        kind=ExportKind.APPLICATIONS,
        format=ExportFormat.CSV,
        parameters={"pseudonymise": False},
        **fields,
    )


def test_an_export_left_running_by_a_dead_worker_is_produced_by_the_next(queue, auditor):
    job = _export_job(auditor, status=ExportStatus.RUNNING, progress=95)
    result = run_export.enqueue(job.pk)
    claimed_by_a_dead_worker(result, silent_for=timedelta(minutes=5))

    background.recover_stale_runs()
    run_queue()

    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (ExportStatus.DONE, 100, "")
    made_on = timezone.localdate(job.created_at).isoformat()
    assert job.file.name.endswith(f"/applications-all-constellations-{made_on}.csv")


def test_an_export_whose_task_failed_for_good_is_marked_failed(queue, settings, auditor):
    settings.TASK_MAX_ATTEMPTS = 1
    job = _export_job(auditor, status=ExportStatus.RUNNING, progress=95)
    result = run_export.enqueue(job.pk)
    claimed_by_a_dead_worker(result, silent_for=timedelta(minutes=5))

    background.recover_stale_runs()

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == "The worker dead-worker stopped responding while running this task."
    assert job.finished_at is not None


def test_a_worker_settles_its_own_unfinished_run_when_it_reconnects(queue, tmp_path):
    done = tmp_path / "done"
    result = fault_tasks.record.enqueue(str(done), "ran")
    DBTaskResult.objects.get(pk=result.id).claim("test-worker")

    run_queue()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["test-worker", "test-worker"]
    assert done.read_text().splitlines() == ["ran"]


# --- the operator's commands -------------------------------------------------------------


def test_tasks_status_lists_failed_runs_and_exits_1(queue, tmp_path):
    result = fault_tasks.fails_once_declared_plainly.enqueue(str(tmp_path / "c"))
    run_queue()
    out = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("tasks_status", "--json", stdout=out)

    assert exit_.value.code == 1
    status = json.loads(out.getvalue())
    assert [run["id"] for run in status["failed"]] == [result.id]
    assert status["failed"][0]["name"] == "tests.core.fault_tasks.fails_once_declared_plainly"
    assert status["failed"][0]["error"] == "RuntimeError: fails on purpose"
    assert (status["queued"], status["running"], status["stale"]) == ([], [], [])


def test_tasks_status_is_quiet_when_all_is_well(queue):
    out = io.StringIO()

    call_command("tasks_status", stdout=out)

    assert out.getvalue() == "workers 0, queued 0, running 0, stale 0, failed 0\n"


def test_tasks_retry_queues_a_failed_run_again_with_fresh_attempts(queue, tmp_path):
    result = fault_tasks.fails_once_declared_plainly.enqueue(str(tmp_path / "c"))
    run_queue()
    out = io.StringIO()

    call_command("tasks_retry", result.id, stdout=out)

    row = DBTaskResult.objects.get(pk=result.id)
    assert out.getvalue() == "queued again: 1\n"
    assert (row.status, row.worker_ids, row.finished_at) == (TaskResultStatus.READY, [], None)


def test_tasks_retry_refuses_a_malformed_id(queue):
    with pytest.raises(Exception, match="Not a task id"):
        call_command("tasks_retry", "not-a-uuid")


# --- the operator's page ---------------------------------------------------------------


@pytest.fixture
def failed_run(queue, tmp_path):
    result = fault_tasks.fails_once_declared_plainly.enqueue(str(tmp_path / "c"))
    run_queue()
    return result


def test_staff_see_failed_tasks_with_retry_buttons(client, failed_run):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("task_queue"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "tests.core.fault_tasks.fails_once_declared_plainly" in html
    assert "RuntimeError: fails on purpose" in html
    assert f'name="task" value="{failed_run.id}"' in html
    assert 'value="retry_all"' in html


def test_auditors_see_the_queue_without_retry_buttons(client, failed_run):
    client.force_login(UserFactory(roles=[Role.AUDITOR]))

    response = client.get(reverse("task_queue"))

    assert response.status_code == 200
    assert "RuntimeError: fails on purpose" in response.content.decode()
    assert 'value="retry_all"' not in response.content.decode()


@pytest.mark.parametrize("role", [Role.LEARNER, Role.ASSESSOR, Role.COORDINATOR])
def test_other_roles_may_not_see_the_queue(client, failed_run, role):
    client.force_login(UserFactory(roles=[role]))

    assert client.get(reverse("task_queue")).status_code == 403


def test_auditors_may_not_retry(client, failed_run):
    client.force_login(UserFactory(roles=[Role.AUDITOR]))

    response = client.post(reverse("task_queue_retry"), {"action": "retry_all"})

    assert response.status_code == 403
    assert DBTaskResult.objects.get(pk=failed_run.id).status == TaskResultStatus.FAILED


def test_staff_retry_a_ticked_failed_task(client, failed_run):
    client.force_login(UserFactory(is_staff=True))

    response = client.post(
        reverse("task_queue_retry"), {"action": "retry", "task": [failed_run.id]}
    )

    assert response.status_code == 302
    assert DBTaskResult.objects.get(pk=failed_run.id).status == TaskResultStatus.READY


def test_a_retry_without_a_task_is_refused_clearly(client, failed_run):
    client.force_login(UserFactory(is_staff=True))

    response = client.post(reverse("task_queue_retry"), {"action": "retry", "task": ["x"]})

    assert response.status_code == 400
    assert "Choose failed tasks to retry." in response.content.decode()
    assert DBTaskResult.objects.get(pk=failed_run.id).status == TaskResultStatus.FAILED


def test_with_immediate_tasks_the_page_says_there_is_no_queue(client, db):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("task_queue"))

    assert response.status_code == 200
    assert "no task queue is configured" in response.content.decode()
