"""Benchmark: issuing one credential (OB 3.0 JSON + eddsa-rdfc-2022 proof + VC-JWT + OB 2.0
ids + four baked images), excluding the PDFs and the milestone check (their own tasks).

    .venv/bin/python bench/issuing.py [N]

Runs on a scratch SQLite database and media folder (temporary files, removed at the end).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> Path:
    scratch = Path(tempfile.mkdtemp(prefix="badges-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    # The PDFs and the milestone check are tasks of their own, enqueued after commit: the
    # dummy backend records them without running them.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return scratch


def approved_applications(count: int):
    from tests.factories.certificates import IssuerFactory, approved_application, micro_badge

    IssuerFactory()
    badge = micro_badge(criteria=3)
    return [approved_application(badge_version=badge) for _ in range(count)]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(count: int = 50) -> dict:
    scratch = setup_django()
    import shutil

    from certificates import services

    applications = approved_applications(count + 3)
    for application in applications[:3]:  # warm-up: imports, context cache, key decryption
        services.credential_issue_for_application(application_id=application.pk)
    timings = []
    for application in applications[3:]:
        start = time.perf_counter()
        services.credential_issue_for_application(application_id=application.pk)
        timings.append((time.perf_counter() - start) * 1000)
    result = {
        "n": count,
        "median_ms": statistics.median(timings),
        "p90_ms": percentile(timings, 0.9),
    }
    print(
        f"issuing (OB 3.0 + Data Integrity + VC-JWT + OB 2.0 + 4 baked images), n={count}: "
        f"median {result['median_ms']:.1f} ms, p90 {result['p90_ms']:.1f} ms per credential"
    )
    shutil.rmtree(scratch, ignore_errors=True)
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
