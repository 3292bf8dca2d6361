"""`batch ACCOUNTS.csv COMMAND`: a crowd of three accounts, one of them with a wrong
password, two workers; then `--resume`. Shows the failure staying with its account (exit 3
in the summary, the others done and verified on the site), a receipt per account, that
`--resume` leaves the done accounts alone (no login, no change), and that the passwords in
the CSV appear in no output and no file.

`unbind-card` stands for every command here: it is the cheapest that changes the account.
Both runs happen once, in a module fixture that several tests read.
"""

from __future__ import annotations

import csv
import json
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from fixtures import AdminClient, MockSite
from tests.helpers import cli_env, error_line, run

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

CROWD_PASSWORD = "okko-demo"  # every crowd account's, from the scenario's template
WRONG_PASSWORD = "wrong-SENTINEL-batch"
ACCOUNTS = [f"user{n:04d}@okko.test" for n in range(1, 4)]
WRONG = ACCOUNTS[1]


@dataclass
class BatchRuns:
    data_dir: Path
    summary: Path
    first: Result
    first_rows: list[dict[str, str]]
    cards_after_first: dict[str, list[str]]
    resumed: Result
    resumed_rows: list[dict[str, str]]
    events_of_resume: list[dict[str, Any]]


def write_accounts(path: Path) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["login", "password"])
        for login in ACCOUNTS:
            writer.writerow([login, WRONG_PASSWORD if login == WRONG else CROWD_PASSWORD])


def rows(summary: Path) -> list[dict[str, str]]:
    with summary.open(newline="") as handle:
        return list(csv.DictReader(handle))


def cards(admin: AdminClient) -> dict[str, list[str]]:
    return {a["email"]: [c["label"] for c in a["cards"]] for a in admin.state()["accounts"]}


@pytest.fixture(scope="module")
def batch_runs(mock_site: MockSite, tmp_path_factory: pytest.TempPathFactory) -> BatchRuns:
    admin = AdminClient(mock_site.url)
    # One account's password is wrong: our first design's password login, where that can be.
    admin.reset("crowd", "classic", accounts=len(ACCOUNTS))
    work = tmp_path_factory.mktemp("batch")
    data_dir, accounts_csv = work / "data", work / "accounts.csv"
    write_accounts(accounts_csv)
    env = cli_env(data_dir, mock_site.url)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)  # no .env of the developer's
        first = run(["batch", str(accounts_csv), "unbind-card", "--yes", "--workers", "2"], env)
        summary = data_dir / "batch" / "accounts-unbind-card.csv"
        first_rows, cards_after_first = rows(summary), cards(admin)
        since = admin.events()[-1]["id"] if admin.events() else 0
        resumed = run(["batch", str(accounts_csv), "unbind-card", "--yes", "--resume", "--json"], env)
    return BatchRuns(data_dir, summary, first, first_rows, cards_after_first, resumed, rows(summary),
                     admin.events(since))


def test_one_accounts_failure_stops_no_other(batch_runs: BatchRuns) -> None:
    result = batch_runs.first

    assert result.exit_code == 3, result.output  # the largest of the accounts' codes
    assert "1 of 3 accounts failed" in error_line(result) and WRONG in error_line(result)
    by_account = {row["account"]: row for row in batch_runs.first_rows}
    assert sorted(by_account) == sorted(ACCOUNTS)
    for login in ACCOUNTS:
        row = by_account[login]
        assert row["command"] == "unbind-card"
        assert float(row["seconds"]) > 0
        if login == WRONG:
            assert (row["outcome"], row["exit_code"]) == ("failed", "3")
            assert "rejected" in row["error"]
            assert batch_runs.cards_after_first[login] == ["Visa •••• 4242"]
        else:
            assert (row["outcome"], row["exit_code"], row["error"]) == ("done", "0", "")
            assert batch_runs.cards_after_first[login] == []


def test_every_account_gets_its_own_receipt(batch_runs: BatchRuns) -> None:
    for row in batch_runs.first_rows:
        if row["account"] == WRONG:
            assert row["receipt"] == ""
            continue
        receipt = Path(row["receipt"])
        assert receipt.parent == batch_runs.data_dir / "accounts" / row["account"] / "receipts"
        document = json.loads(receipt.read_text())
        assert (document["account"], document["outcome"]) == (row["account"], "done")
        assert [c["label"] for c in document["before"]["cards"]] == ["Visa •••• 4242"]
        assert document["after"]["cards"] == []
        assert receipt.with_suffix(".png").read_bytes().startswith(b"\x89PNG")
        assert stat.S_IMODE(receipt.stat().st_mode) == 0o600
    assert stat.S_IMODE(batch_runs.summary.stat().st_mode) == 0o600


def test_resume_skips_the_done_accounts(batch_runs: BatchRuns) -> None:
    result = batch_runs.resumed

    assert result.exit_code == 3, result.output
    document = json.loads(result.stdout)
    skipped = {a["account"] for a in document["accounts"] if a["skipped"]}
    assert skipped == set(ACCOUNTS) - {WRONG}
    # The done accounts were not even logged into; the rejected login was not tried again.
    assert [e for e in batch_runs.events_of_resume if e["type"].startswith("login")] == []
    assert {(r["account"], r["outcome"]) for r in batch_runs.resumed_rows} == {
        (login, "failed" if login == WRONG else "done") for login in ACCOUNTS
    }


def test_no_password_in_any_output_or_file(batch_runs: BatchRuns) -> None:
    output = batch_runs.first.output + batch_runs.resumed.output
    for secret in (CROWD_PASSWORD, WRONG_PASSWORD):
        assert secret not in output
        for path in batch_runs.data_dir.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


def test_a_bad_accounts_file_exits_2_without_echoing_it(tmp_path: Path, mock_site: MockSite) -> None:
    accounts_csv = tmp_path / "accounts.csv"
    accounts_csv.write_text(f"email,secret\nuser0001@okko.test,{WRONG_PASSWORD}\n")

    result = run(["batch", str(accounts_csv), "status"], cli_env(tmp_path / "data", mock_site.url))

    assert result.exit_code == 2, result.output
    assert "login and password" in error_line(result)
    assert WRONG_PASSWORD not in result.output


def test_a_batch_logs_each_account_in_with_its_own_code(
    site: AdminClient, mock_site: MockSite, data_dir: Path, tmp_path: Path
) -> None:
    site.reset("crowd", accounts=2)  # the okko layout: every login by a code sent to it
    accounts_csv = tmp_path / "codes.csv"
    accounts_csv.write_text("login,password\nuser0001@okko.test,\nuser0002@okko.test,\n")

    result = run(["batch", str(accounts_csv), "unbind-card", "--yes", "--workers", "2"], cli_env(data_dir, mock_site.url))

    assert result.exit_code == 0, result.output
    assert cards(site) == {"user0001@okko.test": [], "user0002@okko.test": []}
    logins = sorted(e["account"] for e in site.events() if e["type"] == "login_ok")
    assert logins == ["user0001@okko.test", "user0002@okko.test"]
