"""Shared helpers for the import/export commands."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from core.errors import ValidationFailed
from frameworks.interchange import MAX_IMPORT_BYTES, parse_json_bytes


def read_json_file(path: str):
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No such file: {path}")
    if file.stat().st_size > MAX_IMPORT_BYTES:
        raise CommandError(f"{path}: too large; the limit is {MAX_IMPORT_BYTES // 1024} KB")
    try:
        return parse_json_bytes(file.read_bytes())
    except ValidationFailed as error:
        raise CommandError(describe(error)) from None


def describe(error: ValidationFailed) -> str:
    lines = [str(error.message)]
    lines += [f"  {place}: {problem}" for place, problem in error.details]
    return "\n".join(lines)


def dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
