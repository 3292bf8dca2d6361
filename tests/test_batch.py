"""`batch ACCOUNTS.csv COMMAND`: a crowd of three accounts, one of them with a wrong
password, two workers; then `--resume`. Shows the failure staying with its account (exit 3
in the summary, the others done and verified on the site), a receipt per account, that
`--resume` leaves the done accounts alone (no login, no change), and that the passwords in
the CSV appear in no output and no file. A bad accounts file (an empty password, a login
that is none, not UTF-8, a field, the rows or the file too large) is refused in one line
before anything reaches the site.

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

from automations.errors import ConfigurationError
from fixtures import AdminClient, MockSite
from automations.accounts import read_accounts
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


SECRET = "pa55-SENTINEL-cell"
HEADER = "login,password\n"


def many_rows(count: int) -> bytes:
    return (HEADER + "".join(f"user{n:05d}@okko.test,{SECRET}\n" for n in range(1, count + 1))).encode()


# What an accounts file can get wrong, and the one line that says so: before any browser
# starts and before anything reaches the site. No line quotes a cell, but a login.
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "an empty password": ((HEADER + f"user0001@okko.test,{SECRET}\nuser0002@okko.test,\n").encode(),
                          ("{path}, row 3: the password is empty: fill it in (where the site logs in by a code "
                           "instead, give --code-command or --code-from-imap)")),
    "a password of spaces": ((HEADER + "user0001@okko.test,   \n").encode(),
                             ("{path}, row 2: the password is empty: fill it in (where the site logs in by a code "
                              "instead, give --code-command or --code-from-imap)")),
    "a login that is none": ((HEADER + f"user0001@okko.test,{SECRET}\n\nuser0002@okko,{SECRET}\n").encode(),
                             ("{path}, row 4: the login «user0002@okko» is neither an e-mail nor a phone number "
                              "(+7 999 123-45-67)")),
    "a phone too short": ((HEADER + f"+7 999 123-45-6,{SECRET}\n").encode(),
                          ("{path}, row 2: the login «+7 999 123-45-6» is neither an e-mail nor a phone number "
                           "(+7 999 123-45-67)")),
    "not UTF-8": ((HEADER + "user0001@okko.test,пароль\n").encode("cp1251"),
                  "{path} is not UTF-8 text (line 2): save it as UTF-8"),
    "a long password": ((HEADER + f"user0001@okko.test,{SECRET * 20}\n").encode(),
                        "{path}, row 2: the password is over 256 characters"),
    "a long extra column": ((f"login,password,note\nuser0001@okko.test,{SECRET},{'x' * 300}\n").encode(),
                            "{path}, row 2: the note is over 256 characters"),
    "a huge field": ((HEADER + f"user0001@okko.test,{SECRET * 10_000}\n").encode(),
                     "{path}, row 2: a field is over 256 characters"),
    "too many rows": (many_rows(10_001),
                      "{path} lists more than 10000 accounts: split it into files of at most 10000"),
    "too large a file": (HEADER.encode() + b"x" * (5 * 1024 * 1024),
                         ("{path} is larger than 5 MB, too large for an accounts file: split it into files of at "
                          "most 10000 accounts")),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_accounts_file_is_refused_in_one_line_before_anything_reaches_the_site(
    name: str, site: AdminClient, mock_site: MockSite, tmp_path: Path
) -> None:
    content, message = BAD_FILES[name]
    accounts_csv = tmp_path / "accounts.csv"
    accounts_csv.write_bytes(content)
    # Without a code command every account needs its password.
    env = {**cli_env(tmp_path / "data", mock_site.url), "OKKO_CODE_COMMAND": None, "OKKO_BROWSER_PATH": "/nonexistent"}

    result = run(["batch", str(accounts_csv), "status"], env)

    assert result.exit_code == 2, result.output
    assert error_line(result) == "Error: " + message.format(path=accounts_csv)
    assert "Traceback" not in result.output
    assert SECRET not in result.output and "пароль" not in result.output
    assert site.event_types() == []
    assert not (tmp_path / "data" / "accounts").exists()


def test_where_the_site_sends_codes_a_password_may_be_empty_or_its_column_missing(tmp_path: Path) -> None:
    accounts_csv = tmp_path / "accounts.csv"
    accounts_csv.write_text("login,password\nuser0001@okko.test,\n+7 900 000-00-02,\n")
    only_logins = tmp_path / "logins.csv"
    only_logins.write_text("login\nuser0001@okko.test\n")

    accounts = read_accounts(accounts_csv, passwords_needed=False)

    assert [(a.row, a.login, a.credentials.password.get_secret_value()) for a in accounts] == [
        (2, "user0001@okko.test", ""), (3, "+7 900 000-00-02", "")]
    assert [a.login for a in read_accounts(only_logins, passwords_needed=False)] == ["user0001@okko.test"]
    with pytest.raises(ConfigurationError, match="row 2: the password is empty"):
        read_accounts(accounts_csv)
    with pytest.raises(ConfigurationError, match="needs a header row naming the columns login and password"):
        read_accounts(only_logins)


def test_ten_thousand_accounts_are_allowed(tmp_path: Path) -> None:
    accounts_csv = tmp_path / "accounts.csv"
    accounts_csv.write_bytes(many_rows(10_000))

    assert len(read_accounts(accounts_csv)) == 10_000


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
