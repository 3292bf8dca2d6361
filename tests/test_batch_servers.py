"""`batch --connect A --connect B`: a batch over two Playwright browser servers, one of which
dies under it. Two `playwright run-server` on loopback, eight `crowd` accounts unbinding their
card with four workers (two on each server, in turn); server A is killed (SIGKILL, its
browsers with it) as soon as the summary shows an account done on it, while its other
worker is in the middle of one and this one has just taken the next.

Every account ends done, exactly once: one `card_unbound` per account in the site's events,
no card left. The accounts A had under way went back into the queue and ran on B: their
summary row names B as the server, and the JSON says which server's loss sent them there.
OKKO_BROWSER_PATH names no browser: no account ran on a browser of this machine.
"""

from __future__ import annotations

import csv
import json
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from fixtures import AdminClient, MockSite
from automations.accounts import server_label
from tests.browser_servers import BrowserServer, browser_server
from tests.helpers import cli_env, error_line, run

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

ACCOUNTS = [f"user{n:04d}@okko.test" for n in range(1, 9)]
KILL_WAIT_S = 120


def summary_rows(summary: Path) -> list[dict[str, str]]:
    try:
        with summary.open(newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        return []


class Killer(threading.Thread):
    """Kills `server` once the summary shows an account done on it."""

    def __init__(self, server: BrowserServer, summary: Path) -> None:
        super().__init__(name="kill-server-a", daemon=True)
        self.server, self.summary = server, summary
        self.label = server_label(server.endpoint)
        self.rows_then: list[dict[str, str]] | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        deadline = time.monotonic() + KILL_WAIT_S
        while not self.stop.is_set() and time.monotonic() < deadline:
            rows = summary_rows(self.summary)
            if any(row["server"] == self.label and row["outcome"] == "done" for row in rows):
                self.server.kill()
                self.rows_then = rows
                return
            self.stop.wait(0.05)


@pytest.mark.scenario("crowd", accounts=len(ACCOUNTS))
def test_a_server_dying_mid_batch_sends_its_accounts_to_the_other_and_none_is_done_twice(
    site: AdminClient, mock_site: MockSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    accounts_csv = tmp_path / "accounts.csv"
    accounts_csv.write_text("login,password\n" + "".join(f"{login},\n" for login in ACCOUNTS))  # codes, no passwords
    data_dir = tmp_path / "data"
    summary = data_dir / "batch" / "accounts-unbind-card.csv"
    env = cli_env(data_dir, mock_site.url, OKKO_BROWSER_PATH=str(tmp_path / "no-such-browser"))

    with browser_server() as a, browser_server() as b:
        killer = Killer(a, summary)
        killer.start()
        try:
            result = run(["batch", str(accounts_csv), "unbind-card", "--yes", "--json", "--workers", "4",
                          "--connect", a.url, "--connect", b.url], env)
        finally:
            killer.stop.set()
            killer.join()

    assert result.exit_code == 0, result.output
    assert killer.rows_then is not None and len(killer.rows_then) < len(ACCOUNTS), "A was not killed mid-batch"
    # Exactly once each: one change per account on the site, and nothing left to do.
    unbound = Counter(str(e["account"]) for e in site.events() if e["type"] == "card_unbound")
    assert unbound == Counter(ACCOUNTS)
    assert {a["email"]: a["cards"] for a in site.state()["accounts"]} == {login: [] for login in ACCOUNTS}

    label_a, label_b = server_label(a.endpoint), server_label(b.endpoint)
    document = json.loads(result.stdout)
    assert document["servers"] == [label_a, label_b]
    by_account = {account["account"]: account for account in document["accounts"]}
    assert sorted(by_account) == sorted(ACCOUNTS)
    for account in by_account.values():
        # "already_done": its card went on A just before A did; run again, it changed nothing.
        assert account["outcome"] in ("done", "already_done"), account
        assert account["server"] in (label_a, label_b), account
    retried = [account for account in by_account.values() if account["retried_from"]]
    assert retried, "no account was under way on A when it died"
    assert all((r["retried_from"], r["server"]) == (label_a, label_b) for r in retried), retried
    # The summary CSV says the same, a row per account, the old columns first and `server` last.
    rows = summary_rows(summary)
    assert list(rows[0]) == ["account", "command", "outcome", "exit_code", "seconds", "receipt", "error", "server"]
    assert {row["account"]: row["server"] for row in rows} == {k: v["server"] for k, v in by_account.items()}
    # What A finished before it died stays A's.
    done_on_a = {row["account"] for row in killer.rows_then if row["server"] == label_a}
    assert done_on_a and all(by_account[login]["server"] == label_a for login in done_on_a)


def test_the_summary_names_a_server_without_its_query_or_user() -> None:
    assert server_label("ws://grid.example:3000/?token=SECRET&launch-options=%7B%7D") == "ws://grid.example:3000/"
    assert server_label("wss://me:SECRET@grid.example/playwright") == "wss://grid.example/playwright"
    assert server_label("ws://[::1]:3000/") == "ws://[::1]:3000/"
    assert server_label(None) == "local"


@pytest.mark.parametrize(("servers", "workers", "message"), [
    (["http://grid.example:3000/"], "4",
     "bad --connect http://grid.example:3000/: must be a ws:// or wss:// URL of a Playwright browser server"),
    (["ws://a.example:3000/?token=SECRET", "ws://a.example:3000/"], "4",
     "--connect ws://a.example:3000/ is given twice: name each browser server once (--workers says how many run at "
     "once)"),
    (["ws://a.example:3000/", "ws://b.example:3000/", "ws://c.example:3000/"], "2",
     "--workers 2 is fewer than the 3 browser servers of --connect: give at least one worker for each"),
])
def test_bad_servers_are_refused_in_one_line_before_any_browser_starts(
    servers: list[str], workers: str, message: str, site: AdminClient, mock_site: MockSite, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    accounts_csv = tmp_path / "accounts.csv"
    accounts_csv.write_text("login,password\nuser0001@okko.test,\n")
    env = cli_env(tmp_path / "data", mock_site.url, OKKO_BROWSER_PATH=str(tmp_path / "no-such-browser"))
    connect = [arg for server in servers for arg in ("--connect", server)]

    result = run(["batch", str(accounts_csv), "status", "--workers", workers, *connect], env)

    assert result.exit_code == 2, result.output
    assert error_line(result) == "Error: " + message
    assert "SECRET" not in result.output
    assert site.event_types() == []
