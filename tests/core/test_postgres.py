"""PostgreSQL-only behaviour (runs in the PostgreSQL pass of `make test`)."""

import threading

import pytest
from django.db import connection, connections, transaction

from core.audit import audit_record, verify_audit_chain
from core.models import AuditEvent
from tests.factories.core import CohortFactory

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
def test_the_database_is_postgresql_15_or_newer():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_append_one_unbroken_chain():
    """The advisory lock serialises appends: two threads never link to the same event."""
    cohort = CohortFactory()
    errors = []

    def append(n):
        try:
            for i in range(5):
                with transaction.atomic():
                    audit_record(actor=None, action=f"writer{n}.{i}", obj=cohort)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AuditEvent.objects.count() == 10
    report = verify_audit_chain()
    assert (report.ok, report.checked) == (True, 10)


@pytest.mark.django_db
def test_json_data_of_events_can_be_queried_by_containment():
    cohort = CohortFactory()
    with transaction.atomic():
        audit_record(actor=None, action="a", obj=cohort, data={"round": 2, "kind": "x"})
        audit_record(actor=None, action="b", obj=cohort, data={"round": 3})

    assert list(
        AuditEvent.objects.filter(data__contains={"round": 2}).values_list("action", flat=True)
    ) == ["a"]
