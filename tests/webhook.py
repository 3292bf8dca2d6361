"""A real webhook on loopback for the alert tests: an HTTP server that keeps every JSON body
POSTed to it, as a chat's or a pager's incoming webhook would. Apprise's `json://HOST:PORT/`
posts {"version", "title", "message", "type", …} there.

A body is kept before the response goes out, and Apprise waits for the response: once
`deliver` returns, what it sent is in `received`; nothing to wait for.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Webhook:
    port: int
    status: int = 200  # what it answers: a 500 plays a webhook that is down
    received: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The Apprise URL that posts JSON here."""
        return f"json://127.0.0.1:{self.port}/"


@contextmanager
def serve_webhook() -> Iterator[Webhook]:
    hook = Webhook(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if hook.status == 200:
                hook.received.append(json.loads(body))
            self.send_response(hook.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the tests' output is theirs

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
