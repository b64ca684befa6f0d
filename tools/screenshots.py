"""Screenshot every page of the built site in Chromium, light and dark, on a 1280 x 900
desktop and a 390 x 844 phone (file names end in -phone), for review: the whole page, its
lazy images (the lab's figures) loaded, as a reader who scrolls through it sees them.

python tools/screenshots.py [SITE_DIR] [OUT_DIR]     (defaults: site, screenshots)
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script, too

from tools.site_server import serve  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Chromium loads a lazy image only once it nears the viewport, and a full-page screenshot does
# not scroll: without this the lab's figures show as blank boxes.
LOAD_LAZY_IMAGES = """() => document.querySelectorAll("img[loading=lazy]").forEach(
  image => image.loading = "eager")"""
# An image is complete once it has loaded, or failed to.
ALL_IMAGES_DONE = "() => [...document.images].every(image => image.complete)"


def whole_page_screenshot(page, path) -> None:
    """A full-page screenshot of the loaded page, its lazy images loaded first."""
    page.evaluate(LOAD_LAZY_IMAGES)
    page.wait_for_function(ALL_IMAGES_DONE)
    page.screenshot(path=path, full_page=True)


VIEWPORTS = {"": {"width": 1280, "height": 900}, "-phone": {"width": 390, "height": 844}}


def main(site="site", out="screenshots"):
    site, out = Path(site), Path(out)
    out.mkdir(exist_ok=True)
    pages = sorted(p.relative_to(site) for p in site.rglob("index.html") if "assets" not in p.parts)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for scheme in ("light", "dark"):
            for suffix, viewport in VIEWPORTS.items():
                context = browser.new_context(color_scheme=scheme, viewport=viewport)
                page = context.new_page()
                for rel in pages:
                    url = base + rel.parent.as_posix() + "/"
                    page.goto(url)
                    name = (
                        rel.parent.as_posix().replace("/", "__").strip(".") or "home"
                    ) + f"-{scheme}{suffix}.png"
                    whole_page_screenshot(page, out / name)
                    print(out / name)
                context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(*sys.argv[1:])
