"""Page budgets: each lesson page's total transfer, and its Lighthouse scores.

    python tools/bench_pages.py              (LIGHTHOUSE_RUNS=3 by default)

Builds the site into a temporary folder and serves it on 127.0.0.1 as the host serves it
(text gzip-compressed, connections kept alive: tools/site_server.py's GzipHandler). For
every lesson page, the lab included, it sums the bytes of every response Chromium loads on a
first visit (HTML, CSS, JS, fonts, images, the search index): as sent over the wire (the
transfer, which the budget is on) and decoded (for reference: what the browser parses). Then it
runs Lighthouse 12.2.3 (node_modules/, from package-lock.json; `npm ci`) with Debian
Chromium (env CHROMIUM, as CHROME_PATH), mobile preset, LIGHTHOUSE_RUNS times per page, and
reports the median run (by performance score, as Lighthouse's own docs advise: single runs
vary by several points). Budgets: at most 600 KB transferred per page, performance and
accessibility at least 95. Exit status 1 if any page is over budget.
"""

import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course.build import build  # noqa: E402
from course.pages import lesson_pages  # noqa: E402
from tools.screenshots import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tools.site_server import serve  # noqa: E402

MAX_KB = 600
MIN_SCORE = 95
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"


RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
# The metrics behind the performance score, printed for the median run.
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "speed-index": "SI",
    "cumulative-layout-shift": "CLS",
}


def transfer_bytes(browser, url, site: Path):
    """(bytes sent, bytes decoded) of every response the page loads, on a first visit."""
    context = browser.new_context()
    page = context.new_page()
    sent, decoded = {}, {}

    def finished(request):
        sent[request.url] = request.sizes()["responseBodySize"]
        path = urllib.parse.urlsplit(request.url).path
        file = site / path.lstrip("/")
        decoded[request.url] = (file / "index.html" if file.is_dir() else file).stat().st_size

    page.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle")
    context.close()
    return sum(sent.values()), sum(decoded.values())


def lighthouse(url):
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            "--only-categories=performance,accessibility",
            f"--chrome-flags={flags}",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    if result.returncode != 0:
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout)
    scores = {name: round(c["score"] * 100) for name, c in report["categories"].items()}
    metrics = " ".join(
        f"{short} {report['audits'][audit]['displayValue']}" for audit, short in METRICS.items()
    )
    return scores, metrics


def median_run(url):
    runs = sorted((lighthouse(url) for _ in range(RUNS)), key=lambda run: run[0]["performance"])
    return runs[len(runs) // 2]


def main():
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} missing: run `npm ci` (make bench does)")
    with tempfile.TemporaryDirectory() as site:
        result = build(ROOT, Path(site))
        if result.returncode != 0:
            sys.exit(f"the site did not build:\n{result.stderr}")
        server = serve(Path(site), compress=True)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        over = []
        print(f"Lighthouse: median of {RUNS} mobile runs per page")
        print(f"{'page':<44} {'sent':>9} {'decoded':>9} {'perf':>5} {'a11y':>5}  median run")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for path in lesson_pages():
                sent, decoded = (n / 1000 for n in transfer_bytes(browser, base + path, Path(site)))
                scores, metrics = median_run(base + path)
                perf, a11y = scores["performance"], scores["accessibility"]
                print(
                    f"{path:<44} {sent:6.1f} KB {decoded:6.1f} KB {perf:5d} {a11y:5d}  {metrics}",
                    flush=True,
                )
                if sent > MAX_KB:
                    over.append(f"{path}: {sent:.1f} KB transferred > {MAX_KB} KB")
                if perf < MIN_SCORE or a11y < MIN_SCORE:
                    over.append(f"{path}: performance {perf}, accessibility {a11y} < {MIN_SCORE}")
            browser.close()
        server.shutdown()
    print(
        f"budgets: sent <= {MAX_KB} KB, Lighthouse performance and accessibility >= {MIN_SCORE}"
    )
    for line in over:
        print(f"OVER BUDGET: {line}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
