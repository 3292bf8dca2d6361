"""`--connect WS_URL`: the flows on a remote Playwright browser server. A `playwright
run-server` on loopback, `unbind-card --yes` through it, the change read back from the
site's admin API.

OKKO_BROWSER_PATH points at a file that does not exist: a local launch would exit 2 on it,
so a run that succeeds drove the server's browser. The server is told which browser to
launch through the `launch-options` query parameter, which `--unsafe` lets a client set
(a grid with Playwright's own browsers installed needs neither).
"""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from automations.browser import locate_browser
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.helpers import cli_env, run

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

STARTUP_TIMEOUT_S = 60
LISTENING = re.compile(r"Listening on (ws://\S+)")


@pytest.fixture
def browser_server() -> Iterator[str]:
    """A `playwright run-server` on a free loopback port; yields its ws:// endpoint."""
    server = subprocess.Popen(
        [sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1", "--port", "0", "--unsafe"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
        start_new_session=True,  # a process group of its own: Python's launcher and the Node server in it
    )
    try:
        assert server.stdout is not None
        endpoint = None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        with selectors.DefaultSelector() as selector:
            selector.register(server.stdout, selectors.EVENT_READ)
            while endpoint is None and time.monotonic() < deadline:
                if not selector.select(timeout=deadline - time.monotonic()):
                    break
                line = server.stdout.readline()
                if not line:
                    break  # the server exited
                match = LISTENING.search(line)
                endpoint = match.group(1) if match else None
        assert endpoint, f"playwright run-server did not start (exit {server.poll()})"
        yield endpoint
    finally:
        # SIGTERM starts a graceful close that waits ~10 s after a client has been; the
        # server keeps nothing, and a browser it launched exits with its pipe.
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def test_a_flow_runs_on_a_remote_browser_server(
    browser_server: str, mock_site: MockSite, site: AdminClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    choice = locate_browser()
    launch = {"executablePath": str(choice.executable)} if choice.executable else {}
    endpoint = f"{browser_server}?launch-options={quote(json.dumps(launch))}"
    env = cli_env(tmp_path / "data", mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD,
                  OKKO_BROWSER_PATH=str(tmp_path / "no-such-browser"))

    result = run(["unbind-card", "--yes", "--connect", endpoint], env)

    assert result.exit_code == 0, result.output
    assert site.account()["cards"] == []
    assert site.event_types().count("card_unbound") == 1
    assert len(list((tmp_path / "data" / "receipts").glob("*-unbind-card.json"))) == 1
