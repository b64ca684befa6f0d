"""Page budgets: each lesson page's total transfer, and its Lighthouse scores.

    python tools/bench_pages.py

Builds the site into a temporary folder, serves it on 127.0.0.1, then for every lesson page
sums the bytes of every response Chromium loads for it (HTML, CSS, JS, fonts, images, the
search index) and runs Lighthouse 12.2.3 (node_modules/, from package-lock.json; `npm ci`)
with Debian Chromium (env CHROMIUM, as CHROME_PATH). Budgets: at most 600 KB per page,
performance and accessibility at least 95. Exit status 1 if any page is over budget.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.pages import lesson_pages  # noqa: E402
from tools.screenshots import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

MAX_KB = 600
MIN_SCORE = 95
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"


def transfer_bytes(browser, url):
    """Bytes of every response the page loads (a fresh cache: a first visit)."""
    context = browser.new_context()
    page = context.new_page()
    sizes = {}
    page.on("requestfinished", lambda r: sizes.__setitem__(r.url, r.sizes()["responseBodySize"]))
    page.goto(url, wait_until="networkidle")
    context.close()
    return sum(sizes.values())


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
    categories = json.loads(result.stdout)["categories"]
    return {name: round(c["score"] * 100) for name, c in categories.items()}


def main():
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} missing: run `npm ci` (make bench does)")
    with tempfile.TemporaryDirectory() as site:
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", site],
            cwd=ROOT,
            check=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        server = serve(Path(site))
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        over = []
        print(f"{'page':<48} {'transfer':>10} {'perf':>5} {'a11y':>5}")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for path in lesson_pages():
                kb = transfer_bytes(browser, base + path) / 1000
                scores = lighthouse(base + path)
                perf, a11y = scores["performance"], scores["accessibility"]
                print(f"{path:<48} {kb:8.1f} KB {perf:5d} {a11y:5d}")
                if kb > MAX_KB:
                    over.append(f"{path}: {kb:.1f} KB > {MAX_KB} KB")
                if perf < MIN_SCORE or a11y < MIN_SCORE:
                    over.append(f"{path}: performance {perf}, accessibility {a11y} < {MIN_SCORE}")
            browser.close()
        server.shutdown()
    print(
        f"budgets: transfer <= {MAX_KB} KB, Lighthouse performance and accessibility >= {MIN_SCORE}"
    )
    for line in over:
        print(f"OVER BUDGET: {line}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
