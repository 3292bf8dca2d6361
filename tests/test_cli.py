"""The command line (cli.py) against the mock site, in-process through click's CliRunner
(whose stdin is not a terminal, as for a scheduled job), with a real browser.

Covers the contract's exit codes (0 done or already done, 1 a flow broke, naming the step
and element, 2 usage/configuration, 3 login rejected, 4 site unreachable, 5 CAPTCHA),
`--yes` being required without a terminal (and checked before any login), `--dry-run`,
`--json`, `login` saving credentials and a private session that the next command reuses,
`logout`, receipts (0600, before/after, no password), an example in every `--help`, and
the `cli.py` / `okko-cancel` entry points.

Each site command starts its own browser (~1-2 s), so runs are few and shared where one
run proves several things (the `unbind_twice` fixture).
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest
from click.testing import CliRunner, Result

from cli import cli
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from flows.registry import COMMANDS
from tests.helpers import cli_env, closed_port, error_line, run
from tests.keyrings import MemoryKeyring

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
WRONG_PASSWORD = "wrong-SENTINEL-pw"
RECEIPT_NAME = re.compile(r"^\d{8}T\d{6}Z-unbind-card(-\d+)?\.json$")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)




def with_password(data_dir: Path, base_url: str, password: str = DEMO_PASSWORD) -> dict[str, str | None]:
    return cli_env(data_dir, base_url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=password)






def logins(site: AdminClient) -> list[str]:
    """The site's login events (a code login also sends its code first)."""
    return [kind for kind in site.event_types() if kind.startswith("login_") and kind != "login_code_sent"]


def card_labels(admin: AdminClient) -> list[str]:
    return [card["label"] for card in admin.account()["cards"]]








@dataclass
class UnbindTwice:
    data_dir: Path
    first: Result
    second: Result
    events_after_first: list[dict[str, Any]]
    events_after_second: list[dict[str, Any]]
    cards_after: list[str]


@pytest.fixture(scope="module")
def unbind_twice(mock_site: MockSite, tmp_path_factory: pytest.TempPathFactory) -> UnbindTwice:
    """`unbind-card --yes` run twice on the default account, with the login from the
    environment: two browser runs that several tests read."""
    admin = AdminClient(mock_site.url)
    admin.reset("default", "classic")
    data_dir = tmp_path_factory.mktemp("unbind") / "data"
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(data_dir.parent)  # no .env of the developer's
            env = with_password(data_dir, mock_site.url)
            first = run(["unbind-card", "--yes"], env)
            events_after_first = admin.events()
            second = run(["unbind-card", "--yes"], env)
    finally:
        keyring.set_keyring(previous)
    return UnbindTwice(data_dir, first, second, events_after_first, admin.events(), card_labels(admin))


# ------------------------------------------------------------------------- exit code 0


def test_unbind_card_yes_unbinds_every_card_and_exits_0(unbind_twice: UnbindTwice) -> None:
    result = unbind_twice.first

    assert result.exit_code == 0, result.output
    assert unbind_twice.cards_after == []
    assert [e["type"] for e in unbind_twice.events_after_first].count("card_unbound") == 1
    assert "Visa •••• 4242" in result.stdout and "verified on the site after a reload" in result.stdout


def test_unbind_card_again_changes_nothing_and_exits_0(unbind_twice: UnbindTwice) -> None:
    result = unbind_twice.second

    assert result.exit_code == 0, result.output
    assert "already done" in result.stdout
    # Not even a login: the session saved by the first run was reused.
    assert unbind_twice.events_after_second == unbind_twice.events_after_first


def test_receipt_has_before_and_after_is_private_and_has_no_password(unbind_twice: UnbindTwice) -> None:
    receipts = unbind_twice.data_dir / "receipts"
    names = sorted(p.name for p in receipts.glob("*.json"))
    assert len(names) == 2 and all(RECEIPT_NAME.match(name) for name in names), names
    documents = [json.loads((receipts / name).read_text()) for name in names]
    done = next(d for d in documents if d["outcome"] == "done")

    assert [c["label"] for c in done["before"]["cards"]] == ["Visa •••• 4242"]
    assert done["after"]["cards"] == []
    assert done["changed"] == ["Visa •••• 4242"]
    receipt_lines = [line for line in unbind_twice.first.stdout.splitlines() if line.startswith("Receipt: ")]
    assert len(receipt_lines) == 1 and Path(receipt_lines[0].removeprefix("Receipt: ")).parent == receipts
    assert mode(receipts) == 0o700
    for name in names:
        json_file, png_file = receipts / name, receipts / name.replace(".json", ".png")
        assert png_file.read_bytes().startswith(b"\x89PNG")
        assert mode(json_file) == mode(png_file) == 0o600
    for path in unbind_twice.data_dir.rglob("*"):
        if path.is_file():
            assert DEMO_PASSWORD.encode() not in path.read_bytes(), path
    assert DEMO_PASSWORD not in unbind_twice.first.output + unbind_twice.second.output


def test_login_by_code_needs_no_password(
    site: AdminClient, mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    logged_in = run(["login", "--json"], cli_env(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL))

    assert logged_in.exit_code == 0, logged_in.output
    assert json.loads(logged_in.stdout)["login"] == DEMO_EMAIL
    assert [m["kind"] for m in site.outbox()] == ["email"] and logins(site) == ["login_ok"]
    assert (data_dir / "session.json").exists()


@pytest.mark.variant("classic")
def test_login_where_the_site_asks_for_a_password_and_none_was_given_exits_2(
    site: AdminClient, mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    result = run(["login"], cli_env(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL))

    assert result.exit_code == 2, result.output
    assert error_line(result) == ("Error: the site asks for a password and none was given: set OKKO_PASSWORD, or run "
                                  "`okko-cancel login` on a terminal")
    assert logins(site) == []


def test_login_saves_credentials_and_a_private_session_that_status_reuses(
    site: AdminClient, mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    logged_in = run(["login"], with_password(data_dir, mock_site.url))

    assert logged_in.exit_code == 0, logged_in.output
    site_key = mock_site.url.removeprefix("http://")
    assert json.loads(memory_keyring.entries[("okko-cancel", site_key)]) == {"login": DEMO_EMAIL, "password": DEMO_PASSWORD}
    session = data_dir / "session.json"
    assert mode(session) == 0o600 and mode(data_dir) == 0o700
    assert not (data_dir / "credentials.json").exists()
    assert logins(site) == ["login_ok"]

    # No OKKO_LOGIN/OKKO_PASSWORD now: the saved credentials and session serve.
    status = run(["status", "--json"], cli_env(data_dir, mock_site.url))

    assert status.exit_code == 0, status.output
    document = json.loads(status.stdout)
    assert [c["label"] for c in document["cards"]] == ["Visa •••• 4242"]
    assert {s["name"]: s["auto_renew"] for s in document["subscriptions"]} == {"Оптимум": True}
    assert document["credentials"] == "keyring"
    assert logins(site) == ["login_ok"]  # no second login
    assert DEMO_PASSWORD not in logged_in.output + status.output


def test_logout_forgets_credentials_and_session(
    mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    site_key = mock_site.url.removeprefix("http://")
    memory_keyring.set_password("okko-cancel", site_key, json.dumps({"login": DEMO_EMAIL, "password": DEMO_PASSWORD}))
    data_dir.mkdir(mode=0o700)
    (data_dir / "session.json").write_text(json.dumps({"site": site_key, "login": DEMO_EMAIL, "storage_state": {}}))

    result = run(["logout", "--json"], cli_env(data_dir, mock_site.url))

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"credentials_removed": True, "session_removed": True}
    assert memory_keyring.entries == {}
    assert not (data_dir / "session.json").exists()


def test_common_options_work_before_the_command_as_after_it(
    mock_site: MockSite, data_dir: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    from_env = tmp_path / "from-env"

    result = run(["--json", "--data-dir", str(data_dir), "logout"], cli_env(from_env, mock_site.url))

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"credentials_removed": False, "session_removed": False}
    assert data_dir.is_dir() and not from_env.exists()


def test_an_option_after_the_command_wins_over_the_same_before_it(
    mock_site: MockSite, data_dir: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    elsewhere = tmp_path / "elsewhere"

    result = run(["--data-dir", str(elsewhere), "logout", "--data-dir", str(data_dir)], cli_env(elsewhere, mock_site.url))

    assert result.exit_code == 0, result.output
    assert data_dir.is_dir() and not elsewhere.exists()


def test_a_site_option_before_a_command_without_a_site_is_refused() -> None:
    result = run(["--base-url", "http://127.0.0.1:9", "guide", "ios"])

    assert result.exit_code == 2
    assert "--base-url does not apply to `guide`" in result.stderr


def test_verbose_shows_each_steps_page(site: AdminClient, mock_site: MockSite, data_dir: Path,
                                       memory_keyring: MemoryKeyring) -> None:
    result = run(["-v", "unbind-card", "--dry-run"], with_password(data_dir, mock_site.url))

    assert result.exit_code == 0, result.output
    step = next(line for line in result.stderr.splitlines() if "Open «Оплата услуг»" in line)
    assert f"{mock_site.url}/settings/" in step


def test_dry_run_changes_nothing(site: AdminClient, mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring) -> None:
    result = run(["unbind-card", "--dry-run", "--json"], with_password(data_dir, mock_site.url))

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["outcome"], document["dry_run"], document["changed"]) == ("dry_run", True, ["Visa •••• 4242"])
    assert card_labels(site) == ["Visa •••• 4242"]
    assert logins(site) == ["login_ok"]


# ------------------------------------------------------------------------- exit code 2


# ------------------------------------------------------------------- exit codes 1, 3, 4, 5


@pytest.mark.variant("breaking")
def test_breaking_layout_exits_1_naming_the_step_and_the_element(
    site: AdminClient, mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    result = run(["unbind-card", "--yes", "--timeout", "2"], with_password(data_dir, mock_site.url))

    assert result.exit_code == 1, result.output
    message = error_line(result)
    assert "step 'Open «Оплата услуг»'" in message
    assert "element" in message and "Оплата услуг" in message.split("element", 1)[1]
    assert card_labels(site) == ["Visa •••• 4242"]
    assert len(list((data_dir / "receipts").glob("*-unbind-card-failed.json"))) == 1


def test_captcha_exits_5(site: AdminClient, mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring) -> None:
    site.set_faults(captcha=True)

    result = run(["status"], with_password(data_dir, mock_site.url))

    assert result.exit_code == 5, result.output
    assert "CAPTCHA" in error_line(result) and "--headed" in error_line(result)
    assert "login_ok" not in site.event_types()


# ------------------------------------------------------------------------- help and entry


# The commands docs/cli-contract.md names; later ones join as they are built. `session`
# (export, import) is issue 16's: the live check's session carried in a CI secret.
CONTRACT = {"login", "logout", "status", "unbind-card", "disable-auto-renew", "sign-out-devices", "cancel", "check",
            "guide", "refund-check", "deletion-request", "batch", "watch", "capture", "locators", "history",
            "verify-receipt", "demo", "mock-site", "session"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_no_command_outside_the_contract() -> None:
    assert set(COMMANDS) <= CONTRACT


def test_cli_script_runs_and_the_console_script_is_installed() -> None:
    done = subprocess.run([sys.executable, "cli.py", "--help"], cwd=REPO, capture_output=True, text=True,
                          timeout=60, check=False)

    assert done.returncode == 0, done.stderr
    assert "okko-cancel" in done.stdout and "unbind-card" in done.stdout
    script = Path(sys.executable).parent / "okko-cancel"
    assert script.is_file() and os.access(script, os.X_OK)
    assert "from okko_cancel import main" in script.read_text()


# ---------------------------------------------------------------------------------- check


# `check --mock` passing with both reports, and failing on `breaking` with the step named in
# its one error line: tests/test_monitoring.py walks both, three mornings on one data directory.


@pytest.mark.variant("classic")  # a password the site refuses; okko.tv logs in by code
def test_check_with_a_wrong_password_exits_3(site: AdminClient, mock_site: MockSite, data_dir: Path) -> None:
    result = run(["check"], with_password(data_dir, mock_site.url, "wrong-password"))

    assert result.exit_code == 3, result.output
    assert site.event_types() == ["login_failed"]


# ------------------------------------------------------------------ failures, as scripts see them


def test_a_failure_with_json_prints_a_document_too(data_dir: Path, memory_keyring: MemoryKeyring) -> None:
    result = run(["status", "--json"], with_password(data_dir, f"http://127.0.0.1:{closed_port()}"))

    assert result.exit_code == 4, result.output
    document = json.loads(result.stdout)
    assert document == {"ok": False, "exit_code": 4, "error": error_line(result).removeprefix("Error: "), "step": None}


@pytest.mark.parametrize(("variable", "value", "named"), [
    ("OKKO_TIMEOUT_S", "-1", "(OKKO_TIMEOUT_S or --timeout)"),
    ("OKKO_HEADLESS", "maybe", "(OKKO_HEADLESS or --headed)"),
    ("OKKO_PERSON_WAIT_S", "0", "(OKKO_PERSON_WAIT_S)"),
])
def test_a_bad_setting_names_the_option_that_sets_it(data_dir: Path, variable: str, value: str, named: str) -> None:
    result = run(["status"], cli_env(data_dir, "https://okko.tv", **{variable: value}))

    assert result.exit_code == 2
    assert named in error_line(result)


BAD_ARGUMENTS = [["--no-such-option"], ["--timeout", "soon"], ["--json", "--base-url", "ftp://okko.tv"], ["extra"]]


@pytest.mark.parametrize("arguments", BAD_ARGUMENTS, ids=" ".join)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_given_bad_arguments_exits_2_in_one_line(command: str, arguments: list[str],
                                                               data_dir: Path) -> None:
    # catch_exceptions=False (in `run`): a traceback would fail the test rather than pass as output.
    result = run([command, *arguments], cli_env(data_dir, "https://okko.tv"))

    assert result.exit_code == 2, result.output
    assert [line for line in result.stderr.splitlines() if line.startswith("Error")], result.stderr
    assert not data_dir.exists() or not any(data_dir.rglob("*.json"))
