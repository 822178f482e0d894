"""Signed checkpoints anchor the audit chain: truncation, deletion and a re-chained rewrite
are detected; the signature is checked by an independent implementation (OpenSSL)."""

import base64
import json
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from core.audit import audit_record, verify_audit_chain
from core.checkpoints import Statement, checkpoint_write, signing_key, statements_from_file
from core.models import AuditCheckpoint, AuditEvent
from tests.factories.core import CohortFactory, UserFactory

pytestmark = pytest.mark.django_db
EVENTS = AuditEvent._meta.db_table
CHECKPOINTS = AuditCheckpoint._meta.db_table


def record(actor, obj, action, **fields):
    with transaction.atomic():
        return audit_record(actor=actor, action=action, obj=obj, **fields)


def record_many(count):
    actor = UserFactory()
    cohort = CohortFactory(name="Pilot")
    return [record(actor, cohort, f"cohort.step{i}", comment=f"step {i}") for i in range(count)]


def delete_events(*ids):
    with connection.cursor() as cursor:
        for event_id in ids:
            cursor.execute(f"DELETE FROM {EVENTS} WHERE id = %s", [event_id])  # noqa: S608


def delete_checkpoints():
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CHECKPOINTS}")  # noqa: S608


def rechain_from(events, index, comment):
    """Edit one event and recompute its hash and every later one with the published
    algorithm, writing straight to the database: what a person with database access could
    do."""
    previous = events[index - 1].hash if index else ""
    with connection.cursor() as cursor:
        for position, original in enumerate(events[index:], start=index):
            event = AuditEvent.objects.get(pk=original.pk)
            if position == index:
                event.comment = comment
            event.previous_hash = previous
            new_hash = event.compute_hash()
            cursor.execute(
                f"UPDATE {EVENTS} SET comment = %s, previous_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
                [event.comment, previous, new_hash, event.pk],
            )
            previous = new_hash


def run(command, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    except CommandError as error:  # what manage.py prints to stderr, with exit code 1
        return 1, out.getvalue(), f"CommandError: {error}\n"
    return 0, out.getvalue(), err.getvalue()


def test_a_checkpoint_states_the_count_and_head_of_the_chain():
    events = record_many(4)

    checkpoint = checkpoint_write()

    assert (checkpoint.event_count, checkpoint.head_id, checkpoint.head_hash) == (
        4,
        events[-1].id,
        events[-1].hash,
    )
    assert checkpoint_write() == checkpoint  # nothing new: no second checkpoint
    assert AuditCheckpoint.objects.count() == 1


def test_a_new_checkpoint_counts_on_from_the_one_before():
    record_many(3)
    checkpoint_write()
    events = record_many(2)

    checkpoint = checkpoint_write()

    assert (checkpoint.event_count, checkpoint.head_id) == (5, events[-1].id)


def test_the_signature_verifies_with_openssl(tmp_path):
    if shutil.which("openssl") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true: the independent signature check may not skip: no openssl")
        pytest.skip("openssl is not installed")
    record_many(2)
    checkpoint = checkpoint_write()
    statement = Statement.of(checkpoint)
    public = tmp_path / "public.pem"
    code, out, _err = run("audit_checkpoint", "--public-key")
    public.write_text(out)
    (tmp_path / "message").write_bytes(statement.signed_bytes())
    padded = statement.signature + "=" * (-len(statement.signature) % 4)
    (tmp_path / "signature").write_bytes(base64.urlsafe_b64decode(padded))

    result = subprocess.run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(public), "-rawin",
         "-in", str(tmp_path / "message"), "-sigfile", str(tmp_path / "signature")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert code == 0
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert (result.returncode, result.stdout.strip()) == (0, "Signature Verified Successfully")
    assert json.loads(statement.signed_bytes())["event_count"] == 2


def test_deleting_the_newest_events_is_detected():
    events = record_many(5)
    checkpoint_write()
    delete_events(events[3].id, events[4].id)

    report = verify_audit_chain()

    assert (report.ok, report.checked, report.first_broken_id) == (False, 3, None)
    assert report.problem.startswith("the trail has 3 events, but the checkpoint signed at ")
    assert report.problem.endswith(" covers 5: events were deleted")
    code, out, err = run("verify_audit_trail")
    assert (code, out) == (1, "")
    assert err.startswith("Audit trail broken: the trail has 3 events")


def test_a_rewritten_and_re_chained_event_is_detected():
    events = record_many(5)
    checkpoint_write()
    rechain_from(events, 1, "a different story")
    # The chain itself links again: only the checkpoint can tell.
    assert verify_audit_chain(statements=[]).ok is False

    report = verify_audit_chain()

    assert (report.ok, report.checked, report.first_broken_id) == (False, 4, events[4].id)
    assert report.problem.startswith(
        f"the events up to {events[4].id} no longer match the checkpoint"
    )
    assert report.problem.endswith("(the trail was rewritten and re-chained)")


def test_without_a_checkpoint_a_re_chained_rewrite_is_not_detectable():
    """The limit the checkpoints remove (and the reason they are written regularly)."""
    events = record_many(3)
    rechain_from(events, 1, "a different story")

    assert verify_audit_chain().ok is True


def test_a_deleted_middle_event_is_detected_even_when_re_chained():
    events = record_many(5)
    checkpoint_write()
    delete_events(events[2].id)
    rechain_from([e for e in events if e.id != events[2].id], 2, events[3].comment)

    report = verify_audit_chain()

    assert (report.ok, report.checked) == (False, 4)
    assert report.problem.endswith(" covers 5: events were deleted")


def test_a_forged_checkpoint_is_refused():
    record_many(3)
    checkpoint = checkpoint_write()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CHECKPOINTS} SET event_count = 2 WHERE id = %s",  # noqa: S608
            [checkpoint.pk],
        )

    report = verify_audit_chain()

    assert (report.ok, report.checked) == (False, 0)
    assert "covering 2 events is not signed with a key this installation trusts" in report.problem


def test_truncating_events_and_checkpoints_is_caught_by_the_copy_outside_the_database(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    events = record_many(4)
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint_write()
    delete_events(events[2].id, events[3].id)
    delete_checkpoints()

    report = verify_audit_chain()

    assert report.ok is False
    assert report.problem.endswith(" covers 4: events were deleted")
    assert [s.event_count for s in statements_from_file(settings.AUDIT_CHECKPOINT_FILE)] == [4]


def test_an_auditors_copy_is_read_from_log_lines(tmp_path, django_capture_on_commit_callbacks):
    events = record_many(3)
    checkpoint = checkpoint_write()
    copy = tmp_path / "kept-by-the-auditor.log"
    copy.write_text(
        "2026-12-01 06:00:00 INFO something else\n"
        f"2026-12-01 06:00:01 INFO audit checkpoint {Statement.of(checkpoint).as_json_line()}\n"
    )
    delete_events(events[2].id)
    delete_checkpoints()
    assert verify_audit_chain().ok is True  # the database alone no longer shows it

    code, _out, err = run("verify_audit_trail", "--checkpoints", str(copy))

    assert code == 1
    assert "the trail has 2 events" in err


def test_a_malformed_copy_is_a_clear_error(tmp_path):
    copy = tmp_path / "copy.jsonl"
    copy.write_text('{"type": "audit-checkpoint", "event_count": 3}\n')

    code, out, err = run("verify_audit_trail", "--checkpoints", str(copy))

    assert (code, out) == (1, "")
    assert err == f"CommandError: {copy}: An audit checkpoint lacks the field created_at.\n"


def test_checkpoints_are_written_automatically_every_n_events(
    settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_EVERY = 3
    actor = UserFactory()
    cohort = CohortFactory()

    events = []
    for i in range(7):
        with django_capture_on_commit_callbacks(execute=True):
            events.append(record(actor, cohort, f"cohort.step{i}"))

    # Whenever an event's id passes a multiple of 3 (ids need not start at 1 or be dense).
    previous_ids = [0] + [e.id for e in events[:-1]]
    boundaries = [e.id for p, e in zip(previous_ids, events, strict=True) if p // 3 < e.id // 3]
    assert len(boundaries) >= 2
    assert list(AuditCheckpoint.objects.values_list("head_id", flat=True)) == boundaries
    report = verify_audit_chain()
    assert (report.ok, report.checked, report.checkpoints) == (True, 7, len(boundaries))


def test_the_commands_report_intact_anchored_chains():
    record_many(3)

    assert run("verify_audit_trail")[:2] == (
        0,
        "Audit trail intact: 3 events; no signed checkpoint yet (manage.py audit_checkpoint)\n",
    )
    code, out, _err = run("audit_checkpoint")
    checkpoint = AuditCheckpoint.objects.get()
    assert code == 0
    assert out.startswith(f"Checkpoint {checkpoint.pk}: 3 events up to event {checkpoint.head_id}")
    code, out, _err = run("verify_audit_trail")
    assert code == 0
    assert out.startswith("Audit trail intact: 3 events; the first 3 anchored by 1 signed ")


def test_the_key_file_is_created_private_and_never_stored_in_the_database(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY_FILE = str(tmp_path / "keys" / "audit.pem")
    record_many(1)

    checkpoint_write()

    path = Path(settings.AUDIT_CHECKPOINT_KEY_FILE)
    assert path.stat().st_mode & 0o777 == 0o600
    pem = path.read_text()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert signing_key() is not None
    stored = json.dumps(list(AuditCheckpoint.objects.values()), default=str)
    assert "PRIVATE" not in stored


def test_earlier_keys_still_verify_after_rotation(settings, tmp_path):
    record_many(2)
    checkpoint_write()
    old_public = tmp_path / "old.pem"
    old_public.write_text(run("audit_checkpoint", "--public-key")[1])
    settings.AUDIT_CHECKPOINT_KEY_FILE = str(tmp_path / "new.pem")
    assert verify_audit_chain().ok is False  # the old key is not known yet

    settings.AUDIT_CHECKPOINT_PUBLIC_KEYS = [str(old_public)]

    assert verify_audit_chain().ok is True


def test_checkpoint_rows_are_append_only():
    record_many(1)
    checkpoint = checkpoint_write()

    with pytest.raises(TypeError, match="append-only"):
        checkpoint.save()
    with pytest.raises(TypeError, match="append-only"):
        AuditCheckpoint.objects.all().delete()


def test_deploy_check_warns_without_a_key(settings):
    from core.checks import audit_checkpoint_key_stated

    settings.AUDIT_CHECKPOINT_KEY_FILE = ""

    assert [m.id for m in audit_checkpoint_key_stated(None)] == ["core.W101"]
    settings.AUDIT_CHECKPOINT_KEY_FILE = "/run/secrets/audit.pem"
    assert audit_checkpoint_key_stated(None) == []


def test_the_auditors_verification_shows_anchoring_and_truncation(client, auditor):
    events = record_many(3)
    checkpoint_write()
    client.force_login(auditor)

    page = client.post("/quality/audit-trail/").content.decode()
    assert "The audit chain is intact: 3 events verified." in page
    assert "The first 3 are anchored by signed checkpoints (the newest signed " in page

    delete_events(events[2].id)
    page = client.post("/quality/audit-trail/").content.decode()
    assert "The audit chain is BROKEN (2 events verified): the trail has 2 events" in page
