"""A static file server for measuring the built site as a host would serve it, over a modelled link.

``python benchmarks/static_server.py SITE_DIR PORT [--mbit 20 --latency-ms 40]`` serves ``SITE_DIR``
on 127.0.0.1:PORT.

* **Compression as hosts do it.** Text responses (HTML, CSS, JavaScript, JSON, SVG) and
  WebAssembly are gzip-compressed when the client accepts it, as GitHub Pages, Netlify and
  Cloudflare do; fonts, images, zip files and wheels (already compressed) go out as they are.
* **Caching as GitHub Pages does it:** every response may be reused for 10 minutes.
* **A link model** (``link=Link(mbit, latency_ms)``): every response, headers and body, of every
  connection goes through one shared pipe of ``mbit`` Mbit/s, as a visitor's one access link
  is shared by the browser's parallel connections; and each request waits ``latency_ms`` before
  its first byte, the round trip that a request costs on a real network. Without a link,
  responses go at localhost speed.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import threading
import time
from pathlib import Path

COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml", ".map", ".ipynb", ".py", ".wasm"}

# Links worth measuring: a good home or office connection, and a slow mobile one.
FAST_LINK = (20.0, 40.0)  # Mbit/s, ms per request
SLOW_LINK = (5.0, 100.0)


class Link:
    """One shared pipe: ``send`` delivers bytes no faster than ``mbit`` Mbit/s over all callers.

    Each chunk books the next free slot of the pipe (under a lock) and then waits for the slot to
    end, so parallel responses share the bandwidth in the order they ask for it.
    """

    CHUNK = 16 * 1024

    def __init__(self, mbit: float, latency_ms: float) -> None:
        if mbit <= 0 or latency_ms < 0:
            raise ValueError(f"a link needs mbit > 0 and latency_ms >= 0; got {mbit} and {latency_ms}")
        self.bytes_per_s = mbit * 1e6 / 8
        self.latency_s = latency_ms / 1000
        self._free_at = 0.0
        self._lock = threading.Lock()

    def __str__(self) -> str:
        return f"{self.bytes_per_s * 8 / 1e6:g} Mbit/s, {self.latency_s * 1000:g} ms per request"

    def send(self, write, data: bytes) -> None:
        view = memoryview(data)
        for start in range(0, len(view), self.CHUNK):
            chunk = view[start:start + self.CHUNK]
            with self._lock:
                begin = max(time.perf_counter(), self._free_at)
                self._free_at = begin + len(chunk) / self.bytes_per_s
                done = self._free_at
            delay = done - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            write(chunk)


class _LinkWriter(io.RawIOBase):
    """The handler's output stream, through the link."""

    def __init__(self, raw, link: Link) -> None:
        self._raw, self._link = raw, link

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._link.send(self._raw.write, bytes(data))
        return len(data)

    def flush(self) -> None:
        self._raw.flush()


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".wasm": "application/wasm", ".woff2": "font/woff2",
                      ".webmanifest": "application/manifest+json"}
    link: Link | None = None

    def setup(self):
        super().setup()
        if self.link is not None:
            self.wfile = _LinkWriter(self.wfile, self.link)

    def send_response(self, code, message=None):
        if self.link is not None and self.link.latency_s:
            time.sleep(self.link.latency_s)  # the request's round trip, before its first byte
        super().send_response(code, message)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self):
        # What GitHub Pages sends: a returning visitor's browser reuses files for 10 minutes.
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, *args):  # quiet
        pass


@functools.lru_cache(maxsize=None)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """A file gzipped once (per modification): the link, not the compression, should set the pace."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that drops a connection mid-response (a cancelled request, a closed page) is no error.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(site_dir: str, port: int, link: Link | None = None) -> http.server.ThreadingHTTPServer:
    """A threaded server for ``site_dir`` on 127.0.0.1 (``port`` 0: any free port), through ``link`` if given."""
    handler = functools.partial(type("Handler", (GzipHandler,), {"link": link}), directory=site_dir)
    if link is not None:  # compress everything now: on a modelled link no response may wait for gzip
        for path in Path(site_dir).rglob("*"):
            if path.suffix in COMPRESSIBLE and path.is_file():
                _gzipped(path, path.stat().st_mtime_ns)
    return _Server(("127.0.0.1", port), handler)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site_dir")
    parser.add_argument("port", type=int)
    parser.add_argument("--mbit", type=float, help="bandwidth of the shared link (default: no link model)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="wait before each response (with --mbit)")
    args = parser.parse_args()
    serve(args.site_dir, args.port, Link(args.mbit, args.latency_ms) if args.mbit else None).serve_forever()
