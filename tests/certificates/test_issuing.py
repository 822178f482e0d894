import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus

from certificates.models import STATUS_LIST_BITS, Credential, StatusList
from certificates.services import (
    IssuingNotPossible,
    credential_issue_for_application,
    issue_pending_credentials,
)
from certificates.tasks import issue_credential_for_application
from core.models import AuditEvent
from tests.factories.applications import draft_application
from tests.factories.certificates import IssuerFactory, approved_application

pytestmark = pytest.mark.django_db


def test_the_task_issues_one_credential_for_an_approved_application(issuer):
    application = approved_application()

    result = issue_credential_for_application.enqueue(application.pk)

    credential = Credential.objects.get(application=application)
    assert result.return_value == credential.pk
    assert credential.recipient == application.learner
    assert credential.issuer == issuer
    assert credential.issued_at == application.decided_at
    assert credential.status == "valid"
    assert credential.ob3_credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential.ob3_jwt.count(".") == 2
    assert (
        AuditEvent.objects.filter(action="credential.issued", object_id=str(credential.pk)).count()
        == 1
    )


def test_issuing_twice_returns_the_same_credential(issuer):
    application = approved_application()

    first = credential_issue_for_application(application_id=application.pk)
    second = credential_issue_for_application(application_id=application.pk)
    issue_credential_for_application.enqueue(application.pk)

    assert first.pk == second.pk
    assert Credential.objects.filter(application=application).count() == 1


def test_the_database_refuses_a_second_credential_for_one_application(issuer):
    credential = credential_issue_for_application(application_id=approved_application().pk)

    with pytest.raises(IntegrityError), transaction.atomic():
        Credential.objects.create(
            recipient=credential.recipient,
            badge_version=credential.badge_version,
            application=credential.application,
            issued_at=credential.issued_at,
        )


def test_an_application_that_is_not_approved_gets_no_credential(issuer):
    application = draft_application()

    assert credential_issue_for_application(application_id=application.pk) is None
    assert issue_credential_for_application.enqueue(application.pk).return_value is None
    assert Credential.objects.count() == 0


def test_without_an_issuer_issuing_fails_clearly_and_the_pending_command_retries_later(db):
    application = approved_application()

    with pytest.raises(IssuingNotPossible):
        credential_issue_for_application(application_id=application.pk)
    # The task fails (so that the worker retries it with backoff) and says why.
    result = issue_credential_for_application.enqueue(application.pk)
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == (
        "certificates.services.errors.IssuingNotPossible"
    )
    assert issue_pending_credentials() == {"issued": 0, "failed": 1}

    IssuerFactory()
    out = io.StringIO()
    call_command("issue_pending_credentials", stdout=out)

    assert out.getvalue() == "issued 1, failed 0\n"

    assert Credential.objects.filter(application=application).count() == 1
    assert issue_pending_credentials() == {"issued": 0, "failed": 0}


def test_an_issuer_without_keys_is_not_used_to_sign(db):
    IssuerFactory(with_keys=False)
    application = approved_application()

    with pytest.raises(IssuingNotPossible) as error:
        credential_issue_for_application(application_id=application.pk)

    assert "issuer_keys --create" in str(error.value.message)


def test_each_credential_gets_its_own_status_list_index_and_salt(issuer):
    first = credential_issue_for_application(application_id=approved_application().pk)
    second = credential_issue_for_application(application_id=approved_application().pk)

    assert first.status_index != second.status_index
    assert {first.status_index, second.status_index} <= set(range(STATUS_LIST_BITS))
    assert first.salt != second.salt
    assert first.ob3_credential["credentialStatus"]["statusListIndex"] == str(first.status_index)
    assert StatusList.objects.get(issuer=first.issuer).next_index == 2


def test_status_list_indexes_are_drawn_at_random_not_in_sequence(issuer):
    indexes = [
        credential_issue_for_application(application_id=approved_application().pk).status_index
        for _ in range(6)
    ]

    # Six sequential (or sorted) indexes from 131,072 drawn at random: odds below 1e-28.
    assert len(set(indexes)) == 6
    assert indexes != sorted(indexes)
    assert indexes != list(range(indexes[0], indexes[0] + 6))


def test_a_nearly_full_status_list_hands_out_the_last_free_index_then_refuses(issuer):
    from certificates import services

    StatusList.objects.filter(issuer=issuer).update(size=16)
    taken = [
        credential_issue_for_application(application_id=approved_application().pk).status_index
        for _ in range(15)
    ]

    last = credential_issue_for_application(application_id=approved_application().pk)

    assert sorted([*taken, last.status_index]) == list(range(16))
    with pytest.raises(services.IssuingNotPossible):
        credential_issue_for_application(application_id=approved_application().pk)


def test_a_badge_with_a_validity_period_expires(issuer):
    from tests.factories.certificates import micro_badge

    credential = credential_issue_for_application(
        application_id=approved_application(badge_version=micro_badge(validity_months=24)).pk
    )

    assert (credential.expires_at.year - credential.issued_at.year) == 2
    assert credential.ob3_credential["validUntil"].startswith(str(credential.expires_at.year))


def test_private_keys_are_encrypted_with_the_issuer_key_secret_so_secret_key_can_rotate(
    settings,
):
    from cryptography.fernet import InvalidToken

    from certificates.openbadges.signing import decrypt_private, encrypt_private

    settings.ISSUER_KEY_SECRET = "issuer-key-secret-one"
    settings.SECRET_KEY = "a" * 50
    stored = encrypt_private(b"private key bytes")
    settings.SECRET_KEY = "b" * 50

    assert decrypt_private(stored) == b"private key bytes"
    settings.ISSUER_KEY_SECRET = "issuer-key-secret-two"
    with pytest.raises(InvalidToken):
        decrypt_private(stored)
