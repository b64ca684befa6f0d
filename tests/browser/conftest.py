"""Browser fixtures: the site (built once per run, tests/conftest.py) served on 127.0.0.1, and
Chromium.

Chromium is the Debian build (env CHROMIUM, default /usr/bin/chromium), launched by
Playwright. Without it the browser tests are skipped with the reason; with REQUIRE_BROWSER=1
(set by .ci/run) they fail instead.
"""

import os
from pathlib import Path

import pytest

from course import ROOT
from tools.screenshots import CHROMIUM, CHROMIUM_ARGS
from tools.site_server import serve

SCREENSHOTS = ROOT / "screenshots" / "browser"


def require_chromium():
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return
    reason = f"Chromium not found at {CHROMIUM} (set CHROMIUM, or apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def built_site(site):
    """The test run's one build of the site (tests/conftest.py)."""
    require_chromium()
    return site


@pytest.fixture(scope="session")
def base_url(built_site):
    server = serve(built_site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
