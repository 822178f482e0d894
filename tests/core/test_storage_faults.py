"""An S3 store that refuses connections or hangs: uploads and downloads through the real
views answer a 503 page (with Retry-After) within the configured timeouts, nothing is
half-written, and everything works again once the store answers. The store is the
loopback S3 server (moto) behind a TCP proxy the test switches."""

import contextlib
import socket
import threading
import time
import uuid

import boto3
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications.models import EvidenceItem, EvidenceKind
from core.models import User
from core.storage import removed_on_error
from tests.conftest import S3_ACCESS_KEY, S3_SECRET_KEY
from tests.factories.applications import PDF_BYTES, draft_application, pdf_upload
from tests.tools.settings_loader import load_settings

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


class SwitchableProxy:
    """A TCP proxy on 127.0.0.1 to `upstream` that passes traffic, refuses connections
    (nothing listens on its port) or hangs (accepts and never answers)."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.mode = "pass"
        self.listener: socket.socket | None = None
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        self._listen()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _listen(self) -> None:
        if self.listener is not None:
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.05)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while self.listener is listener:
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self.lock:
                self.connections.append(client)
            if self.mode == "pass":
                upstream = socket.create_connection(self.upstream)
                with self.lock:
                    self.connections.append(upstream)
                for source, target in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()
            # "hang": the connection is held open, and nothing is ever answered.
        listener.close()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def _drop_connections(self) -> None:
        with self.lock:
            connections, self.connections = self.connections, []
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def switch(self, mode: str) -> None:
        self.mode = mode
        self._drop_connections()  # pooled client connections must not outlive the switch
        if mode == "refuse":
            self.listener = None  # the accept loop closes it
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                except ConnectionRefusedError:
                    return
                time.sleep(0.05)
            pytest.fail("the proxy still accepts connections")
        else:
            self._listen()

    def close(self) -> None:
        self.listener = None
        self._drop_connections()


@pytest.fixture
def proxy(s3_server):
    host, port = s3_server.removeprefix("http://").split(":")
    proxy = SwitchableProxy((host, int(port)))
    yield proxy
    proxy.close()


@pytest.fixture
def bucket(s3_server, proxy, settings):
    """The production S3 configuration, through the proxy, with short timeouts."""
    name = f"badges-faults-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    configured = load_settings(
        "base",
        {
            "AWS_STORAGE_BUCKET_NAME": name,
            "AWS_S3_ENDPOINT_URL": proxy.url,
            "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY,
            "AWS_S3_CONNECT_TIMEOUT": "1",
            "AWS_S3_READ_TIMEOUT": "1",
            "AWS_S3_MAX_ATTEMPTS": "2",
        },
    )
    settings.STORAGES = {**settings.STORAGES, "default": configured.STORAGES["default"]}

    def objects() -> list[str]:
        listed = client.list_objects_v2(Bucket=name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    yield objects
    client.close()


def post_evidence(client, application):
    return client.post(
        reverse("applications:evidence_add", kwargs={"pk": application.pk}),
        {
            "kind": "file",
            "description": "My report",
            "criteria": [application.badge_version.criteria.first().pk],
            "file": pdf_upload("report.pdf"),
        },
    )


def assert_storage_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "<h1>Temporarily unavailable</h1>" in html
    assert "Nothing was saved halfway: please try again in a minute." in html


@pytest.mark.parametrize("fault", ["refuse", "hang"])
def test_an_upload_while_the_store_fails_answers_503_and_stores_nothing(
    client, proxy, bucket, fault
):
    application = draft_application(with_evidence=False)
    client.force_login(application.learner)
    proxy.switch(fault)

    started = time.monotonic()
    response = post_evidence(client, application)

    assert_storage_unavailable_page(response)
    assert time.monotonic() - started < 30  # the timeouts ended it, not the web server
    assert EvidenceItem.objects.filter(application=application).count() == 0
    assert bucket() == []

    proxy.switch("pass")
    response = post_evidence(client, application)

    assert response.status_code == 302
    item = EvidenceItem.objects.get(application=application)
    assert bucket() == [item.file.name]


@pytest.mark.parametrize("fault", ["refuse", "hang"])
def test_a_download_while_the_store_fails_answers_503_then_serves_the_file(
    client, proxy, bucket, fault
):
    application = draft_application(with_evidence=False)
    client.force_login(application.learner)
    assert post_evidence(client, application).status_code == 302
    item = EvidenceItem.objects.get(application=application, kind=EvidenceKind.FILE)
    url = reverse("applications:evidence_file", kwargs={"item_pk": item.pk})
    proxy.switch(fault)

    assert_storage_unavailable_page(client.get(url))

    proxy.switch("pass")
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_file_written_in_a_transaction_that_fails_is_removed(proxy, bucket):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    User.objects.create_user(email="taken@example.org")
    with pytest.raises(IntegrityError), removed_on_error() as written, transaction.atomic():
        written.append(default_storage.save("evidence/orphan.pdf", ContentFile(PDF_BYTES)))
        assert bucket() == ["evidence/orphan.pdf"]
        User.objects.create_user(email="taken@example.org")

    assert bucket() == []


def test_a_download_whose_object_is_missing_from_the_store_is_a_404(client, proxy, bucket):
    application = draft_application(with_evidence=False)
    client.force_login(application.learner)
    assert post_evidence(client, application).status_code == 302
    item = EvidenceItem.objects.get(application=application, kind=EvidenceKind.FILE)
    from django.core.files.storage import default_storage

    default_storage.delete(item.file.name)
    assert bucket() == []

    response = client.get(reverse("applications:evidence_file", kwargs={"item_pk": item.pk}))

    assert response.status_code == 404
