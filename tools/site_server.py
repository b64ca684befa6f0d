"""The built site served on 127.0.0.1, for the browser tests, screenshots and page budgets."""

import functools
import gzip
import http.server
import io
import threading
import urllib.parse
from pathlib import Path


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
