"""Helpers the test modules share (fixtures live in conftest.py): reading the mock site's
admin API the way the assertions need it."""

from __future__ import annotations

import os
import shlex
import socket
import sys
from pathlib import Path

from click.testing import CliRunner, Result
from playwright.sync_api import APIRequestContext

from cli import cli
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient
from tests.commands import in_command_thread

# A page's waits in the tests: short enough that a broken test fails fast, long enough for a
# loaded 2-core CI machine.
EXPECT_TIMEOUT_MS = 5_000


def last_event_id(site: AdminClient) -> int:
    """The newest event's id: what happens after it is what a test's action did."""
    events = site.events()
    return int(events[-1]["id"]) if events else 0


def events_of(site: AdminClient, kind: str, since: int = 0) -> list[dict[str, object]]:
    return [event for event in site.events(since) if event["type"] == kind]


def sign_in_through_api(request: APIRequestContext, site: AdminClient, login: str = DEMO_EMAIL,
                        password: str = DEMO_PASSWORD) -> None:
    """As the site's login page does, without the page: the step the site asks for, then the
    password or the code it sent (read from the outbox). Shares `request`'s cookies."""
    start = request.post("/api/v1/auth/start", data={"login": login})
    assert start.ok, start.text()
    secret = {"password": password} if start.json()["step"] == "password" else {"code": site.last_code(login)}
    response = request.post("/api/v1/auth/login", data={"login": login, **secret})
    assert response.ok, response.text()


def own_device(site: AdminClient) -> str:
    """The device the site registered for the browser that signed in last."""
    return str(events_of(site, "login_ok")[-1]["device"])


def code_command(base_url: str) -> str:
    """What a person does with their mail: read the code the mock site sent (to OKKO_CODE_FOR)."""
    return f"{shlex.quote(sys.executable)} -m fixtures.outbox_code {base_url}"


def cli_env(data_dir: Path, base_url: str, **extra: str) -> dict[str, str | None]:
    """OKKO_* for one run: the host's own OKKO_* variables are unset; a login code is read from
    the mock site's outbox, as a person would read it from their mail."""
    env: dict[str, str | None] = {name: None for name in os.environ if name.upper().startswith("OKKO_")}
    env.update(OKKO_DATA_DIR=str(data_dir), OKKO_BASE_URL=base_url, OKKO_CODE_COMMAND=code_command(base_url),
               OKKO_LANG="en")
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str | None] | None = None) -> Result:
    """One CLI run, in the command thread (see tests/commands.py)."""
    return in_command_thread(lambda: CliRunner().invoke(cli, args, env=env, catch_exceptions=False))


def error_line(result: Result) -> str:
    """The one-line `Error: ...` message click prints on stderr."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
