"""Benchmark: the certificate PDF (PDF/A-3b, attached credential, QR code) against the bare
WeasyPrint render of the same HTML (no PDF/A, no attachment, default URL fetcher).

    .venv/bin/python bench/certificate_pdf.py [N]
"""

import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from issuing import approved_applications, percentile, setup_django


def main(count: int = 20) -> dict:
    scratch = setup_django()
    from weasyprint import HTML

    from certificates import pdf, services

    (application,) = approved_applications(1)
    credential = services.credential_issue_for_application(application_id=application.pk)
    html = pdf.certificate_html(credential)
    pdf.certificate_pdf_bytes(credential)  # warm-up (fonts, imports)
    HTML(string=html).write_pdf()

    ours, bare = [], []
    for _ in range(count):
        start = time.perf_counter()
        pdf.certificate_pdf_bytes(credential)
        ours.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        HTML(string=html).write_pdf()
        bare.append((time.perf_counter() - start) * 1000)
    result = {
        "n": count,
        "median_ms": statistics.median(ours),
        "p90_ms": percentile(ours, 0.9),
        "bare_median_ms": statistics.median(bare),
    }
    result["ratio"] = result["median_ms"] / result["bare_median_ms"]
    print(
        f"certificate PDF (HTML + QR + PDF/A-3b + attachment), n={count}: median "
        f"{result['median_ms']:.1f} ms, p90 {result['p90_ms']:.1f} ms; bare WeasyPrint render of "
        f"the same HTML: median {result['bare_median_ms']:.1f} ms; ratio {result['ratio']:.2f}"
    )
    shutil.rmtree(scratch, ignore_errors=True)
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
