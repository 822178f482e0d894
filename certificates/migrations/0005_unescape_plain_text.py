"""Plain text used to be stored escaped ("Smith &amp; Sons"), so pages and Open Badges JSON
showed it escaped twice. Text is now stored as typed; this turns the stored values back.

Only values in the escaped form are touched: no bare "<" or ">", and every "&" starts a
character reference (what the escaping function produced). A value typed some other way
("R&D") is left as it is. Signed credentials and the audit trail are never rewritten.
"""

import html
import re

from django.db import migrations

ESCAPED = re.compile(r"(?:[^&<>]|&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);)*")


def unescaped(value: str) -> str:
    if not value or "&" not in value or not ESCAPED.fullmatch(value):
        return value
    return html.unescape(value)


FIELDS = {"Issuer": ("name", "region", "description"), "Credential": ("revocation_reason",)}


def forwards(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("certificates", model_name)
        for row in model.objects.only("pk", *fields).iterator(chunk_size=500):
            changed = {f: unescaped(getattr(row, f)) for f in fields}
            changed = {f: v for f, v in changed.items() if v != getattr(row, f)}
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0004_rs256_vc_jwt_keys")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
