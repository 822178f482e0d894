"""The password reset page only enqueues the mail, so known and unknown addresses get the
same answer after the same work; the task delivers the link through a real SMTP relay on
loopback, and fails loudly (a FAILED result and one log line) when the relay refuses."""

import logging
import re

import pytest
from django.tasks import TaskResultStatus, default_task_backend
from django.urls import reverse

from core.tasks import send_password_reset_mail
from tests.factories.core import UserFactory
from tests.tools.smtp_sink import SMTPSink, closed_port, smtp_mailer

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def lena(db):
    return UserFactory(email="lena@example.org", display_name="Lena", preferred_language="de")


@pytest.fixture
def sink(settings):
    with SMTPSink() as running:
        settings.MAILERS = {"default": running.mailer()}
        yield running


@pytest.fixture
def service_log():
    """The records `core.services` logs (pytest's own log capture is off in this suite)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("core.services")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def ask_for_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def test_known_and_unknown_addresses_get_the_same_answer_and_only_enqueue_a_task(
    client, lena, sink, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY

    with django_capture_on_commit_callbacks(execute=True):
        known = ask_for_reset(client, "Lena@Example.org")
        unknown = ask_for_reset(client, "nobody@example.org")

    assert (known.status_code, known["Location"], known.content) == (
        unknown.status_code,
        unknown["Location"],
        unknown.content,
    )
    assert known["Location"] == reverse("password_reset_done")
    queued = [(r.task.name, r.args, r.status) for r in default_task_backend.results]
    assert queued == [
        ("send_password_reset_mail", ["Lena@Example.org"], TaskResultStatus.READY),
        ("send_password_reset_mail", ["nobody@example.org"], TaskResultStatus.READY),
    ]
    assert sink.deliveries == []


def test_nothing_is_enqueued_when_the_address_is_not_an_address(client, db, settings):
    settings.TASKS = DUMMY

    response = ask_for_reset(client, "not an address")

    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert default_task_backend.results == []


def test_the_task_delivers_a_working_link_through_the_relay_in_the_persons_language(
    client, lena, sink, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE

    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(client, "\uff2cena@example.org")
        ask_for_reset(client, "nobody@example.org")

    assert len(sink.deliveries) == 1
    delivery = sink.deliveries[0]
    assert (delivery.sender, delivery.recipients) == ("badges@localhost", ["lena@example.org"])
    assert delivery.message["Subject"] == "Neues Passwort für Kompetenz-Badges wählen"
    body = delivery.message.get_content()
    link = re.search(r"https://badges\.example\.org(/accounts/reset/\S+/\S+/)", body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    lena.refresh_from_db()
    assert lena.check_password("a new long passphrase 42") is True


def test_the_task_sends_nothing_for_an_unknown_or_inactive_address(db, sink):
    UserFactory(email="gone@example.org", is_active=False)

    assert send_password_reset_mail.enqueue("nobody@example.org").return_value == 0
    assert send_password_reset_mail.enqueue("gone@example.org").return_value == 0
    assert sink.deliveries == []


def test_running_the_task_again_sends_a_fresh_link(lena, sink):
    first = send_password_reset_mail.enqueue("lena@example.org")
    again = send_password_reset_mail.enqueue("lena@example.org")

    assert (first.return_value, again.return_value) == (1, 1)
    assert [d.recipients for d in sink.deliveries] == [["lena@example.org"]] * 2


@pytest.mark.parametrize("relay", ["refusing", "unreachable"])
def test_a_relay_failure_fails_the_task_with_one_log_line(lena, settings, service_log, relay):
    with SMTPSink(refuse_recipients=True) as refusing:
        port = refusing.port if relay == "refusing" else closed_port()
        settings.MAILERS = {"default": smtp_mailer("127.0.0.1", port)}

        result = send_password_reset_mail.enqueue("lena@example.org")

    expected = {
        "refusing": "smtplib.SMTPRecipientsRefused",
        "unreachable": "builtins.ConnectionRefusedError",
    }[relay]
    assert result.status == TaskResultStatus.FAILED
    assert [e.exception_class_path for e in result.errors] == [expected]
    assert refusing.deliveries == []
    assert len(service_log) == 1
    record = service_log[0]
    assert record.levelno == logging.ERROR
    assert record.exc_info is None
    name = expected.rpartition(".")[2]
    assert record.getMessage().startswith(
        f"Password reset mail for user {lena.pk} not sent: {name}: "
    )
    assert "\n" not in record.getMessage()


def test_a_relay_failure_does_not_change_the_answer_to_the_request(
    client, lena, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    settings.MAILERS = {"default": smtp_mailer("127.0.0.1", closed_port())}

    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_reset(client, "lena@example.org")

    assert (response.status_code, response["Location"]) == (302, reverse("password_reset_done"))


@pytest.mark.parametrize(
    ("code", "subject"),
    [
        ("sv", "Välj ett nytt lösenord för Kompetensmärken"),
        ("fi", "Valitse uusi salasana Osaamismerkit-palveluun"),
        ("nb", "Velg et nytt passord for Kompetansemerker"),
        ("da", "Vælg en ny adgangskode til Kompetencebadges"),
    ],
)
def test_the_reset_mail_is_in_each_nordic_language(db, sink, code, subject):
    from core.services import password_reset_mail_send

    UserFactory(email="mika@example.org", preferred_language=code)

    assert password_reset_mail_send(email="mika@example.org") == 1

    assert sink.deliveries[0].message["Subject"] == subject
