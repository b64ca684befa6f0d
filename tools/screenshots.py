"""Screenshot every page of the built site in Chromium, light and dark, for review.

python tools/screenshots.py [SITE_DIR] [OUT_DIR]     (defaults: site, screenshots)
"""

import functools
import gzip
import http.server
import io
import os
import sys
import threading
import urllib.parse
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


# What GitHub Pages sends gzip-compressed to a browser that accepts it.
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".py", ".ipynb")


@functools.lru_cache(maxsize=256)
def compressed(path: Path, mtime_ns: int, size: int) -> bytes:
    """gzip at level 6, as web servers do; cached, so a page load does not wait on it."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


class GzipHandler(QuietHandler):
    """Serves as the hosted site is served: text files gzip-compressed, connections kept
    alive. Transfer sizes and Lighthouse's simulated download times then match what a
    reader gets, not what a bare file server sends."""

    protocol_version = "HTTP/1.1"

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urllib.parse.urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        stat = path.stat()
        body = compressed(path, stat.st_mtime_ns, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path, compress: bool = False):
    """Serve site on 127.0.0.1 on a free port, in a background thread."""
    handler = functools.partial(GzipHandler if compress else QuietHandler, directory=str(site))
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
