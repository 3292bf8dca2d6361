"""Playwright browser servers for the tests of `--connect`: a `playwright run-server` on a free
loopback port, in a process group of its own so that a test can kill it (and the browsers it
launched) as a machine of a grid dies.

The server is told which browser to launch through the `launch-options` query parameter,
which `--unsafe` lets a client set (a grid with Playwright's own browsers installed needs
neither).
"""

from __future__ import annotations

import json
import re
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

from automations.browser import locate_browser
from tests.cli_process import kill_group

STARTUP_TIMEOUT_S = 60
LISTENING = re.compile(r"Listening on (ws://\S+)")


@dataclass
class BrowserServer:
    process: subprocess.Popen[str]
    endpoint: str  # ws://127.0.0.1:PORT/, as the server says it listens

    @property
    def url(self) -> str:
        """The endpoint, asking the server to launch the browser this machine has."""
        choice = locate_browser()
        launch = {"executablePath": str(choice.executable)} if choice.executable else {}
        return f"{self.endpoint}?launch-options={quote(json.dumps(launch))}"

    def kill(self) -> None:
        """As a machine dies: the server and the browsers it launched, at once (SIGKILL)."""
        kill_group(self.process)


@contextmanager
def browser_server() -> Iterator[BrowserServer]:
    """A `playwright run-server` on a free loopback port, killed at the end."""
    process = subprocess.Popen(
        [sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1", "--port", "0", "--unsafe"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
        start_new_session=True,  # a process group of its own: Python's launcher and the Node server in it
    )
    server = BrowserServer(process, "")
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            while not server.endpoint and time.monotonic() < deadline:
                if not selector.select(timeout=deadline - time.monotonic()):
                    break
                line = process.stdout.readline()
                if not line:
                    break  # the server exited
                match = LISTENING.search(line)
                server.endpoint = match.group(1) if match else ""
        assert server.endpoint, f"playwright run-server did not start (exit {process.poll()})"
        yield server
    finally:
        # SIGTERM starts a graceful close that waits ~10 s after a client has been; the
        # server keeps nothing, and a browser it launched exits with its pipe.
        server.kill()
