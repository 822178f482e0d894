"""Signed checkpoints of the audit chain: what makes truncation and re-chaining detectable.

The hash chain (core.audit) shows that no event was altered, inserted or removed *between*
others — but someone who can write to the database could delete the newest events, or edit
one and recompute every later hash with the published algorithm, and the chain would still
link. A checkpoint closes that gap: a statement "the first N events end in event I with hash
H", signed with an Ed25519 key that lives in a file outside the database
(AUDIT_CHECKPOINT_KEY_FILE). `verify_audit_chain` checks each checkpoint's signature and that
the chain still has those N events ending in that hash.

Where checkpoints are kept: in the database (AuditCheckpoint), in the log (one JSON line per
checkpoint, logger `core.checkpoints`) and, when AUDIT_CHECKPOINT_FILE is set, appended to a
file outside the database. Someone who can rewrite the database can also delete the newest
checkpoint rows; the copies in the log and the file (or any copy an auditor kept, given to
`verify_audit_trail --checkpoints FILE`) still show it. Events after the newest checkpoint
are protected by the chain only: checkpoints are written every AUDIT_CHECKPOINT_EVERY events
and by `manage.py audit_checkpoint` (run it from cron, e.g. hourly).
"""

import base64
import binascii
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ValidationFailed
from .models import AuditCheckpoint, AuditEvent

logger = logging.getLogger(__name__)

STATEMENT_TYPE = "audit-checkpoint"
MAX_STATEMENT_LINE = 4096  # bytes: a statement is ~400; longer lines are not statements
# The advisory lock core.audit takes to append: a checkpoint reads a head nobody is moving.
CHAIN_LOCK = 0x4155444954


class CheckpointKeyMissing(RuntimeError):
    """No signing key is configured or the key file cannot be read."""


@dataclass(frozen=True)
class Statement:
    """A checkpoint as signed: the same whether read from the database, the log or a file."""

    created_at: str
    event_count: int
    head_id: int
    head_hash: str
    key_id: str
    signature: str = ""

    def signed_bytes(self) -> bytes:
        payload = {
            "type": STATEMENT_TYPE,
            "created_at": self.created_at,
            "event_count": self.event_count,
            "head_id": self.head_id,
            "head_hash": self.head_hash,
            "key_id": self.key_id,
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()

    def as_json_line(self) -> str:
        payload = json.loads(self.signed_bytes())
        payload["signature"] = self.signature
        return json.dumps(payload, sort_keys=True, separators=(",", ":"))

    @classmethod
    def of(cls, checkpoint: AuditCheckpoint) -> "Statement":
        return cls(
            created_at=checkpoint.created_at.isoformat(),
            event_count=checkpoint.event_count,
            head_id=checkpoint.head_id,
            head_hash=checkpoint.head_hash,
            key_id=checkpoint.key_id,
            signature=checkpoint.signature,
        )

    @classmethod
    def parse(cls, line: str) -> "Statement":
        """One JSON line; ValidationFailed when it is not a well-formed statement."""
        try:
            data = json.loads(line)
        except ValueError as error:
            raise ValidationFailed(_("A checkpoint line is not valid JSON.")) from error
        if not isinstance(data, dict) or data.get("type") != STATEMENT_TYPE:
            raise ValidationFailed(_("A line is not an audit checkpoint."))
        try:
            statement = cls(
                created_at=str(data["created_at"]),
                event_count=data["event_count"],
                head_id=data["head_id"],
                head_hash=str(data["head_hash"]),
                key_id=str(data["key_id"]),
                signature=str(data["signature"]),
            )
        except KeyError as error:
            raise ValidationFailed(
                _("An audit checkpoint lacks the field %(field)s.") % {"field": error.args[0]}
            ) from error
        for number in (statement.event_count, statement.head_id):
            if type(number) is not int or not 0 <= number < 2**63:
                raise ValidationFailed(_("An audit checkpoint has an invalid count or id."))
        return statement

    def when(self) -> str:
        """The signing time as people read it (for messages)."""
        try:
            moment = datetime.fromisoformat(self.created_at)
        except ValueError:
            return self.created_at
        return (
            timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
            if moment.tzinfo
            else (moment.strftime("%Y-%m-%d %H:%M"))
        )


# --- keys -------------------------------------------------------------------------------


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:32]


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first: use theirs
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)


def create_signing_key() -> Path:
    """Create the key file named by AUDIT_CHECKPOINT_KEY_FILE (mode 0600) if it is missing."""
    configured = getattr(settings, "AUDIT_CHECKPOINT_KEY_FILE", "")
    if not configured:
        raise CheckpointKeyMissing("AUDIT_CHECKPOINT_KEY_FILE is not set.")
    path = Path(configured)
    if not path.exists():
        _create_key_file(path)
    return path


def signing_key() -> Ed25519PrivateKey:
    """The private key from AUDIT_CHECKPOINT_KEY_FILE (created where the setting allows)."""
    configured = getattr(settings, "AUDIT_CHECKPOINT_KEY_FILE", "")
    if not configured:
        raise CheckpointKeyMissing("AUDIT_CHECKPOINT_KEY_FILE is not set.")
    path = Path(configured)
    if not path.exists() and getattr(settings, "AUDIT_CHECKPOINT_KEY_CREATE", False):
        _create_key_file(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise CheckpointKeyMissing(f"The key in {path} cannot be read: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointKeyMissing(f"The key in {path} is not an Ed25519 private key.")
    return key


def public_key_pem(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def verification_keys() -> dict[str, Ed25519PublicKey]:
    """Every key a checkpoint may be signed with: the current one (when this machine holds
    it) and the public keys listed in AUDIT_CHECKPOINT_PUBLIC_KEYS (earlier keys, or the
    current one on a machine that verifies without signing)."""
    keys: dict[str, Ed25519PublicKey] = {}
    try:
        current = signing_key().public_key()
        keys[key_id(current)] = current
    except CheckpointKeyMissing:
        pass
    for configured in getattr(settings, "AUDIT_CHECKPOINT_PUBLIC_KEYS", []):
        try:
            key = serialization.load_pem_public_key(Path(configured).read_bytes())
        except (OSError, ValueError) as error:
            logger.warning("Audit checkpoint public key %s cannot be read: %s", configured, error)
            continue
        if isinstance(key, Ed25519PublicKey):
            keys[key_id(key)] = key
    return keys


def signature_valid(statement: Statement, keys: dict[str, Ed25519PublicKey]) -> bool:
    key = keys.get(statement.key_id)
    if key is None:
        return False
    try:
        signature = base64.urlsafe_b64decode(
            statement.signature + "=" * (-len(statement.signature) % 4)
        )
        key.verify(signature, statement.signed_bytes())
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


# --- writing ----------------------------------------------------------------------------


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def _append_to_file(line: str) -> None:
    configured = getattr(settings, "AUDIT_CHECKPOINT_FILE", "")
    if not configured:
        return
    try:
        descriptor = os.open(configured, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        try:
            os.write(descriptor, (line + "\n").encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError as error:
        logger.error("Audit checkpoint not appended to %s: %s", configured, error)


def checkpoint_write() -> AuditCheckpoint | None:
    """Sign the chain's current head, unless the newest checkpoint already covers it.

    None when there are no events. Raises CheckpointKeyMissing without a signing key.
    """
    key = signing_key()
    with transaction.atomic():
        _lock_chain()
        head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        if head is None:
            return None
        head_id, head_hash = head
        last = AuditCheckpoint.objects.order_by("-id").first()
        if last is not None and last.head_id == head_id and last.head_hash == head_hash:
            return last
        if last is not None and last.head_id < head_id:
            # Counted from the newest checkpoint on: a statement never contradicts the one
            # before it, even if events below that one were deleted since (verification
            # then reports it).
            count = (
                last.event_count
                + AuditEvent.objects.filter(id__gt=last.head_id, id__lte=head_id).count()
            )
        else:
            count = AuditEvent.objects.filter(id__lte=head_id).count()
        statement = Statement(
            created_at=timezone.now().isoformat(),
            event_count=count,
            head_id=head_id,
            head_hash=head_hash,
            key_id=key_id(key.public_key()),
        )
        signature = base64.urlsafe_b64encode(key.sign(statement.signed_bytes())).decode()
        signature = signature.rstrip("=")
        checkpoint = AuditCheckpoint.objects.create(
            created_at=datetime.fromisoformat(statement.created_at),
            event_count=count,
            head_id=head_id,
            head_hash=head_hash,
            key_id=statement.key_id,
            signature=signature,
        )
        line = Statement.of(checkpoint).as_json_line()
        transaction.on_commit(lambda: _publish(line))
    return checkpoint


def _publish(line: str) -> None:
    logger.info("audit checkpoint %s", line)
    _append_to_file(line)


def checkpoint_due(previous_id: int | None, new_id: int) -> bool:
    """Whether appending event `new_id` after `previous_id` crosses a multiple of
    AUDIT_CHECKPOINT_EVERY (0 turns automatic checkpoints off)."""
    every = int(getattr(settings, "AUDIT_CHECKPOINT_EVERY", 0) or 0)
    if every <= 0:
        return False
    return (previous_id or 0) // every < new_id // every


# --- reading ----------------------------------------------------------------------------


def statements_from_lines(lines) -> list[Statement]:
    """Statements from JSON lines (the checkpoint file, log lines, an auditor's copy).

    Blank lines and log lines that do not hold a statement are passed over; a statement
    that is present but malformed raises ValidationFailed.
    """
    found = []
    for raw in lines:
        line = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
        if len(line) > MAX_STATEMENT_LINE:
            raise ValidationFailed(_("A checkpoint line is too long to be a checkpoint."))
        start = line.find("{")
        if start < 0 or STATEMENT_TYPE not in line:
            continue
        found.append(Statement.parse(line[start:].strip()))
    return found


def statements_from_file(path: str | Path) -> list[Statement]:
    with open(path, "rb") as handle:
        return statements_from_lines(_bounded_lines(handle))


def _bounded_lines(handle):
    while True:
        line = handle.readline(MAX_STATEMENT_LINE + 1)
        if not line:
            return
        if len(line) > MAX_STATEMENT_LINE:
            raise ValidationFailed(_("A checkpoint line is too long to be a checkpoint."))
        yield line


def known_statements(extra: list[Statement] | None = None) -> list[Statement]:
    """The database's checkpoints, the configured file's and any given, without repeats."""
    statements = [Statement.of(c) for c in AuditCheckpoint.objects.order_by("id").iterator()]
    configured = getattr(settings, "AUDIT_CHECKPOINT_FILE", "")
    if configured and Path(configured).exists():
        statements += statements_from_file(configured)
    statements += extra or []
    unique: dict[tuple, Statement] = {}
    for statement in statements:
        unique.setdefault((statement.signed_bytes(), statement.signature.rstrip("=")), statement)
    return list(unique.values())
