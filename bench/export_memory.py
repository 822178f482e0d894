"""Benchmark: memory growth while streaming the applications CSV of 100,000 applications.

    .venv/bin/python bench/export_memory.py [N]

Runs on a scratch SQLite database (a temporary file, removed at the end): migrates,
bulk-creates N applications (default 100,000) with minimal related rows, then streams the
applications CSV through the same code the auditor's download uses
(`quality.exporters.streaming_csv_response`) to /dev/null, measuring

- the peak of Python allocations during the stream (tracemalloc), and
- the growth of the process's resident set size, sampled every 1,000 rows.

Passes when both stay under 50 MB. Applications are created with bulk_create in their
default state (draft) — never through transitions — and half of them are moved to
"approved" with one raw SQL UPDATE, in this benchmark only.
"""

import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 50


def setup_django(scratch: Path, *, migrate: bool) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def create_applications(count: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from applications.models import Application
    from core.models import User
    from frameworks.models import Badge, BadgeKind, BadgeVersion, Constellation

    constellation = Constellation.objects.create(slug="bench", name="Bench constellation")
    versions_count = 100
    learners_count = -(-count // versions_count)
    badges = Badge.objects.bulk_create(
        Badge(constellation=constellation, slug=f"badge-{i}", kind=BadgeKind.MICRO)
        for i in range(versions_count)
    )
    versions = BadgeVersion.objects.bulk_create(
        BadgeVersion(badge=badge, title=f"Badge {i}", description="Bench badge.")
        for i, badge in enumerate(badges)
    )
    learners = User.objects.bulk_create(
        User(email=f"learner{i}@bench.example.org", display_name=f"Learner {i}", password="!")  # noqa: S106 - unusable
        for i in range(learners_count)
    )
    start = timezone.now() - timedelta(days=200)
    batch = []
    created = 0
    for learner_index, learner in enumerate(learners):
        for version in versions:
            if created >= count:
                break
            batch.append(
                Application(
                    learner=learner,
                    badge_version=version,
                    first_submitted_at=start + timedelta(minutes=created),
                    submitted_at=start + timedelta(minutes=created),
                    round_count=1 + (learner_index % 3),
                )
            )
            created += 1
        if len(batch) >= 10_000:
            Application.objects.bulk_create(batch)
            batch = []
    if batch:
        Application.objects.bulk_create(batch)
    with connection.cursor() as cursor:  # benchmark data only: never done in app code
        cursor.execute("UPDATE applications_application SET state = 'approved' WHERE id % 2 = 0")


def current_rss() -> int:
    """The resident set size now, in bytes (Linux /proc; elsewhere the peak so far)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        scale = 1 if sys.platform == "darwin" else 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def stream(*, trace: bool) -> dict:
    """Stream the CSV once; runs in a fresh process so that the resident set size before
    the stream is the baseline (creating the data above would have raised it)."""
    from quality import exporters
    from quality.selectors import Filters

    response = exporters.streaming_csv_response(
        "applications", Filters(), pseudonymise=False, filename="applications.csv"
    )
    rss_before = current_rss()
    rss_peak = rss_before
    if trace:
        tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0] if trace else 0
    rows = -1  # the header
    written = 0
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        for chunk in response.streaming_content:
            sink.write(chunk)
            written += len(chunk)
            rows += 1
            if rows % 1000 == 0:
                rss_peak = max(rss_peak, current_rss())
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    rss_peak = max(rss_peak, current_rss())
    return {
        "rows": rows,
        "bytes": written,
        "seconds": elapsed,
        "tracemalloc_peak_mb": (peak - baseline) / 1024 / 1024,
        "rss_growth_mb": (rss_peak - rss_before) / 1024 / 1024,
    }


def child(scratch: Path, trace: bool) -> dict:
    import json
    import subprocess

    output = subprocess.run(
        [sys.executable, __file__, "--stream", str(scratch), "--trace" if trace else "--no-trace"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(count: int = 100_000) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="badges-bench-"))
    try:
        setup_django(scratch, migrate=True)
        started = time.perf_counter()
        create_applications(count)
        print(f"created {count:,} applications in {time.perf_counter() - started:.1f} s")
        plain = child(scratch, trace=False)  # resident set size and time, undisturbed
        traced = child(scratch, trace=True)  # Python allocations (tracemalloc is slower)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    ok = (
        plain["rows"] == count
        and traced["tracemalloc_peak_mb"] < LIMIT_MB
        and plain["rss_growth_mb"] < LIMIT_MB
    )
    print(
        f"streamed {plain['rows']:,} rows ({plain['bytes'] / 1024 / 1024:.1f} MB of CSV) "
        f"in {plain['seconds']:.1f} s"
    )
    print(f"peak Python allocations during the stream: {traced['tracemalloc_peak_mb']:.1f} MB")
    print(f"growth of the resident set size (peak):    {plain['rss_growth_mb']:.1f} MB")
    print(f"{'PASS' if ok else 'FAIL'}: limit {LIMIT_MB} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--stream":
        import json

        setup_django(Path(sys.argv[2]), migrate=False)
        print(json.dumps(stream(trace=sys.argv[3] == "--trace")))
        sys.exit(0)
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
