"""One run at a time per account: real `python cli.py` processes started together on one data
directory. The first holds its account's lock through its login (its code command waits for a
line on its stdin, as a person slow to read the mail would) while the others start; each of
those waits a few seconds, then exits 2 saying another run is in progress. Then the first goes
on, and the site's event log shows each change made once. Ctrl-C to a run that waits for the
lock ends that run only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from automations.errors import ConfigurationError
from automations.home import DataHome
from automations.locks import WAIT_S, account_lock
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.cli_process import CliProcess, gated
from tests.helpers import cli_env, code_command, events_of

# Whole commands in processes of their own: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

IN_PROGRESS = "another okko-cancel run is in progress for demo@okko.test"


@pytest.fixture
def started() -> Iterator[list[CliProcess]]:
    """The test's processes; any left running by a failed test is killed with its browser."""
    processes: list[CliProcess] = []
    yield processes
    for process in processes:
        process.kill()


def first_and_others(started: list[CliProcess], command: list[str], others: int, data_dir: Path,
                     base_url: str) -> tuple[CliProcess, list[tuple[int, str, float]]]:
    """The first run, held at its login code with the lock taken, and what each of `others`
    started meanwhile ended with: exit code, stderr, seconds."""
    env = cli_env(data_dir, base_url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
    first = CliProcess(command, {**env, "OKKO_CODE_COMMAND": gated(code_command(base_url))}, stdin=True)
    started.append(first)
    first.wait_for("Log in: e-mail or phone")  # the code is asked for next: the run waits, locked
    rest = [CliProcess(command, env) for _ in range(others)]
    started.extend(rest)
    ended = []
    for process in rest:
        code, _, err = process.finish()
        ended.append((code, err, process.seconds()))
    first.write("go")
    return first, ended


def test_a_second_unbind_at_once_waits_then_exits_2_and_the_card_is_unbound_once(
    site: AdminClient, mock_site: MockSite, data_dir: Path, started: list[CliProcess]
) -> None:
    first, [(code, err, seconds)] = first_and_others(started, ["unbind-card", "--yes"], 1, data_dir, mock_site.url)

    assert code == 2, err
    assert "Traceback" not in err
    assert f"! {IN_PROGRESS}: waiting up to {WAIT_S:g} s for it to finish" in err
    [line] = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert line == (f"Error: {IN_PROGRESS} (data directory {data_dir}): wait for it to finish, "
                    "then run this again")
    assert seconds >= WAIT_S  # it waited for the first before giving up
    first_code, first_out, first_err = first.finish()
    assert first_code == 0, first_err
    assert "Visa •••• 4242" in first_out
    assert len(events_of(site, "card_unbound")) == 1 and site.account()["cards"] == []


def test_three_cancels_at_once_one_does_it_two_exit_2(
    site: AdminClient, mock_site: MockSite, data_dir: Path, started: list[CliProcess]
) -> None:
    first, others = first_and_others(started, ["cancel", "--yes"], 2, data_dir, mock_site.url)

    assert [code for code, _, _ in others] == [2, 2], others
    for _, err, _ in others:
        assert IN_PROGRESS in err and "Traceback" not in err
    first_code, _, first_err = first.finish()
    assert first_code == 0, first_err
    # Each change once, by the one run that held the account; the others never logged in.
    assert len(events_of(site, "auto_renew_disabled")) == 1
    assert len(events_of(site, "card_unbound")) == 1
    assert len(events_of(site, "login_ok")) == 1
    assert site.account()["cards"] == []


def test_ctrl_c_while_waiting_for_the_lock_ends_that_run_only(
    site: AdminClient, mock_site: MockSite, data_dir: Path, started: list[CliProcess]
) -> None:
    env = cli_env(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
    first = CliProcess(["unbind-card", "--yes"], {**env, "OKKO_CODE_COMMAND": gated(code_command(mock_site.url))},
                       stdin=True)
    started.append(first)
    first.wait_for("Log in: e-mail or phone")
    second = CliProcess(["unbind-card", "--yes"], env)
    started.append(second)
    second.wait_for(f"{IN_PROGRESS}: waiting")

    second.interrupt(group=True)
    code, _, err = second.finish()

    assert code == 130, err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("Error: ")] == [
        "Error: interrupted before any change: nothing was changed"]
    first.write("go")
    first_code, _, first_err = first.finish()
    assert first_code == 0, first_err
    assert len(events_of(site, "card_unbound")) == 1 and len(events_of(site, "login_ok")) == 1


def test_the_lock_is_per_account_and_says_which_data_directory(tmp_path: Path) -> None:
    home = DataHome(tmp_path / "data", "okko.tv")
    with account_lock(home, "Demo@Okko.test"):
        # Another account, and the saved session of a run without a login, are not held up.
        with account_lock(home, "other@okko.test", wait_s=0), account_lock(home, None, wait_s=0):
            pass
        with pytest.raises(ConfigurationError) as refused, account_lock(home, "demo@okko.test", wait_s=0):
            pass
    assert str(tmp_path / "data") in str(refused.value) and refused.value.exit_code == 2
    assert home.lock_file(None).name == "okko.tv-session.lock"
    assert (home.root / "locks" / "okko.tv-demo@okko.test.lock").exists()
    with account_lock(home, "demo@okko.test", wait_s=0):  # let go when the first run ended
        pass
