"""Screenshot every page of the built site in Chromium, light and dark, for review.

python tools/screenshots.py [SITE_DIR] [OUT_DIR]     (defaults: site, screenshots)
"""

import functools
import http.server
import os
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path):
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(site="site", out="screenshots"):
    site, out = Path(site), Path(out)
    out.mkdir(exist_ok=True)
    pages = sorted(p.relative_to(site) for p in site.rglob("index.html") if "assets" not in p.parts)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for scheme in ("light", "dark"):
            context = browser.new_context(
                color_scheme=scheme, viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            for rel in pages:
                url = base + rel.parent.as_posix() + "/"
                page.goto(url)
                name = (
                    rel.parent.as_posix().replace("/", "__").strip(".") or "home"
                ) + f"-{scheme}.png"
                page.screenshot(path=out / name, full_page=True)
                print(out / name)
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(*sys.argv[1:])
