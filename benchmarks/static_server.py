"""A static file server for measuring the built site as a host would serve it: text gzipped.

``python benchmarks/static_server.py SITE_DIR PORT`` serves ``SITE_DIR`` on 127.0.0.1:PORT. Text
responses (HTML, CSS, JavaScript, JSON, SVG) are gzip-compressed when the client accepts it, as
any static host does; fonts, images and WebAssembly go out as they are. Every response may be
cached for 10 minutes, as on GitHub Pages.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import sys
from pathlib import Path

COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml", ".map", ".ipynb", ".py"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".wasm": "application/wasm", ".woff2": "font/woff2"}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)

    def end_headers(self):
        # What GitHub Pages sends: a returning visitor's browser reuses files for 10 minutes.
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, *args):  # quiet
        pass


def serve(site_dir: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(GzipHandler, directory=site_dir)
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2])).serve_forever()
