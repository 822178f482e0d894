"""File storage when the object store fails: what counts as "unavailable" (answered with a
503 page by core.middleware.StorageUnavailableMiddleware), and writes that leave nothing
half-done.

The S3 client's connect and read timeouts and its retries are settings
(AWS_S3_CONNECT_TIMEOUT, AWS_S3_READ_TIMEOUT, AWS_S3_MAX_ATTEMPTS): a store that hangs
fails a request within seconds, long before the web server gives up on its worker.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.http import Http404

logger = logging.getLogger(__name__)

try:
    from botocore.exceptions import ClientError, HTTPClientError
    from botocore.exceptions import ConnectionError as BotoConnectionError
except ImportError:  # without the S3 client there is no S3 to fail
    ClientError = HTTPClientError = BotoConnectionError = None  # type: ignore[assignment,misc]


def _unavailable(error: BaseException) -> bool:
    if BotoConnectionError is None:
        return False
    # Refused, timed out while connecting or reading, connection closed mid-answer.
    if isinstance(error, BotoConnectionError | HTTPClientError):
        return True
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return int(status) >= 500
    return False


def storage_unavailable(error: BaseException) -> bool:
    """Whether `error` (or what caused it, e.g. boto3's S3UploadFailedError) says the object
    store is unreachable or failing, rather than that the request was wrong."""
    seen = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if _unavailable(current):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


@contextmanager
def removed_on_error(storage=None) -> Iterator[list[str]]:
    """Files written inside the block (their names appended to the list it yields) are
    deleted again if the block fails, so that a rolled-back transaction leaves no object
    behind. Use it outside `transaction.atomic()`, so that a failed commit counts too."""
    storage = storage or default_storage
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in filter(None, written):
            try:
                storage.delete(name)
            except Exception:
                logger.exception("Could not remove %s after a failed write", name)
        raise


def _missing(error: BaseException) -> bool:
    if isinstance(error, FileNotFoundError):
        return True
    if ClientError is not None and isinstance(error, ClientError):
        code = str(error.response.get("Error", {}).get("Code", ""))
        return code in {"404", "NoSuchKey", "NotFound"}
    return False


def open_for_download(field_file):
    """Open a stored file and fetch it now, so that a store that fails does so while the
    view can still answer (503), not halfway through the response. An object missing from
    the store (a row that outlived its file) is a 404, logged as the inconsistency it is."""
    try:
        handle = field_file.open("rb")
        handle.read(0)
    except Exception as error:
        if not _missing(error):
            raise
        logger.error("Stored file %s is missing from the store", field_file.name)
        raise Http404 from error
    return handle
