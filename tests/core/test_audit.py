"""The audit trail: an append-only chain of events that detects tampering."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from core.audit import audit_record, events_for, verify_audit_chain
from core.models import AuditEvent, Cohort
from tests.factories.core import CohortFactory, UserFactory

pytestmark = pytest.mark.django_db


def record(actor, obj, action, **fields):
    with transaction.atomic():
        return audit_record(actor=actor, action=action, obj=obj, **fields)


@pytest.fixture
def chain():
    actor = UserFactory(email="cora@example.org")
    cohort = CohortFactory(name="Pilot")
    return [
        record(actor, cohort, "cohort.created"),
        record(actor, cohort, "cohort.renamed", comment="new name", data={"from": "P"}),
        record(None, cohort, "cohort.checked", from_state="a", to_state="b", round_number=2),
    ]


def run_command():
    """(exit code, stdout, stderr) of `manage.py verify_audit_trail`."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit_trail", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_each_event_links_to_the_one_before(chain):
    first, second, third = chain

    assert first.previous_hash == ""
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_an_event_names_its_actor_and_object(chain):
    first, _second, third = chain
    cohort = Cohort.objects.get()

    assert first.actor_label == "cora@example.org"
    assert third.actor is None
    assert third.actor_label == "system"
    assert (first.object_type, first.object_id, first.object_repr) == (
        "core.cohort",
        str(cohort.pk),
        "Pilot",
    )
    assert list(events_for(cohort)) == chain


def test_recording_outside_a_transaction_is_refused(transactional_db):
    cohort = CohortFactory()

    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        audit_record(actor=None, action="x", obj=cohort)


def test_an_intact_chain_verifies(chain):
    report = verify_audit_chain()

    assert (report.ok, report.checked, report.first_broken_id) == (True, 3, None)


def test_the_command_reports_an_intact_chain(chain):
    assert run_command() == (
        0,
        "Audit trail intact: 3 events; no signed checkpoint yet (manage.py audit_checkpoint)\n",
        "",
    )


def test_the_command_reports_an_empty_chain_as_intact(db):
    assert run_command() == (
        0,
        "Audit trail intact: 0 events; no signed checkpoint yet (manage.py audit_checkpoint)\n",
        "",
    )


def test_an_event_altered_in_the_database_is_detected_and_named(chain):
    second = chain[1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET comment = %s WHERE id = %s",  # noqa: S608
            ["a different story", second.id],
        )

    report = verify_audit_chain()

    assert (report.ok, report.checked, report.first_broken_id) == (False, 1, second.id)
    assert report.problem == (
        f"event {second.id} was altered after it was recorded (its hash does not match)"
    )
    code, out, err = run_command()
    assert (code, out) == (1, "")
    assert err == (
        f"Audit trail broken at event {second.id}: event {second.id} was altered after it was "
        "recorded (its hash does not match) (1 events before it are intact)\n"
    )


def test_an_event_deleted_from_the_database_is_detected_at_the_next_one(chain):
    _first, second, third = chain
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s",  # noqa: S608
            [second.id],
        )

    report = verify_audit_chain()

    assert (report.ok, report.first_broken_id) == (False, third.id)
    assert report.problem == (
        f"event {third.id} does not link to the event before it "
        "(an event was removed, inserted or reordered)"
    )
    code, _out, err = run_command()
    assert code == 1
    assert err.startswith(f"Audit trail broken at event {third.id}: ")


def test_a_recomputed_hash_does_not_hide_an_alteration(chain):
    """Rewriting one event's hash to match breaks the link of the event after it."""
    second, third = chain[1], chain[2]
    second.comment = "forged"
    forged_hash = second.compute_hash()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET comment = %s, hash = %s WHERE id = %s",  # noqa: S608
            ["forged", forged_hash, second.id],
        )

    report = verify_audit_chain()

    assert (report.ok, report.first_broken_id) == (False, third.id)


def test_the_model_refuses_updates_and_deletes(chain):
    event = AuditEvent.objects.get(pk=chain[0].pk)
    event.comment = "changed"

    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(comment="changed")
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.all().delete()
    assert verify_audit_chain().ok is True
