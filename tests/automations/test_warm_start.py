"""The entry point (automations/warm_start.py): which command lines start Playwright's
driver early, `python cli.py` run as a user runs it, a new process, both ways, and a
driver that will not start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from automations.warm_start import drives_a_browser, start_driver_while_importing
from flows.registry import BROWSER_COMMANDS, COMMANDS
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.helpers import code_command

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("args", "expected"), [
    (["status"], True),
    (["status", "--json"], True),
    (["unbind-card", "--yes", "--dry-run"], True),
    (["cancel", "--yes"], True),
    (["check", "--mock"], True),
    (["login"], True),
    (["--json", "status"], True),  # common options before the command
    (["--base-url", "http://127.0.0.1:8800", "-v", "cancel", "--yes"], True),
    (["status", "--help"], False),
    (["cancel", "-h"], False),
    (["--version"], False),
    ([], False),
    (["logout"], False),
    (["guide", "status"], False),  # a guide's route named like a command
    (["batch", "accounts.csv", "status"], False),  # its workers start their own
    (["mock-site"], False),
    (["no-such-command"], False),
])
def test_drives_a_browser(args: list[str], expected: bool) -> None:
    assert drives_a_browser(args, COMMANDS, BROWSER_COMMANDS) is expected


def test_every_command_of_the_cli_is_in_the_registry_and_back() -> None:
    from cli import cli

    # The registry says which commands start the driver early; a command missing from it
    # would still work, but start its driver late.
    assert set(cli.commands) == set(COMMANDS)


def run_cli_script(args: list[str], data_dir: Path, **okko: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.upper().startswith("OKKO_")}
    env.update(OKKO_DATA_DIR=str(data_dir), OKKO_LANG="en", PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
               **okko)
    return subprocess.run([sys.executable, "cli.py", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_a_browser_command_runs_on_the_early_driver(site: AdminClient, mock_site: MockSite, tmp_path: Path) -> None:
    done = run_cli_script(["status", "--json"], tmp_path / "data", OKKO_BASE_URL=mock_site.url,
                          OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD,
                          OKKO_CODE_COMMAND=code_command(mock_site.url))

    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert [card["label"] for card in document["cards"]] == [card["label"] for card in site.account()["cards"]]
    assert site.event_types() == ["login_code_sent", "login_ok"]


def test_a_browser_command_that_fails_before_the_browser_exits_with_its_code(mock_site: MockSite,
                                                                              tmp_path: Path) -> None:
    done = run_cli_script(["status"], tmp_path / "data", OKKO_BASE_URL=mock_site.url)

    expected = (f"Error: no saved credentials for {mock_site.url.removeprefix('http://')}: run `okko-cancel login` "
                "on a terminal, or set OKKO_LOGIN and OKKO_PASSWORD")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [expected]


def test_a_driver_that_will_not_start_is_left_to_the_command() -> None:
    def no_driver() -> Any:
        raise PlaywrightError("Connection closed while reading from the driver")

    playwright, cli_module = start_driver_while_importing("cli", no_driver)

    assert playwright is None
    assert cli_module is sys.modules["cli"] and callable(cli_module.main)
