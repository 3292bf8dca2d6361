"""Ctrl-C during a run, sent as a real signal to a real `python cli.py` process: the run says in
one line what it had already done (exit 130, no traceback) and keeps it in a receipt marked
interrupted. Both ways SIGINT comes: to the whole process group, as a terminal's Ctrl-C
sends it (Playwright's driver and Chromium get it too, so the page is gone), and to the Python
process alone (`kill -INT`), where the page still answers and the receipt gets a screenshot.

The site's latency fault holds the run at a known point (a slow request of the next section),
and the test sends the signal once the run's own output says it got there. `batch`: an
account cut short is "interrupted" in the summary, no new account starts, and `--resume` runs
it again without doing anything twice.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.cli_process import CliProcess
from tests.helpers import cli_env, events_of

# Whole commands in processes of their own: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

# Long enough that a run waiting on it is still waiting when the signal comes (it is sent as
# soon as the run says where it is); a run that is not interrupted never meets it.
HOLD_MS = 20_000
AUTO_RENEW_OFF = "Turn auto-renew off for «Оптимум»"
UNBIND = "Unbind Visa •••• 4242"
ERROR_LINE = re.compile(r"^Error: (.*)$", re.MULTILINE)


@pytest.fixture
def started() -> Iterator[list[CliProcess]]:
    """The test's processes; any left running by a failed test is killed with its browser."""
    processes: list[CliProcess] = []
    yield processes
    for process in processes:
        process.kill()


def start(started: list[CliProcess], args: list[str], env: dict[str, str | None]) -> CliProcess:
    process = CliProcess(args, env)
    started.append(process)
    return process


def one_error(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = ERROR_LINE.findall(stderr)
    assert len(lines) == 1, stderr
    return str(lines[0])


def receipt_of(message: str) -> dict[str, Any]:
    path = Path(message.rsplit("; receipt: ", 1)[1])
    assert path.name.endswith("-interrupted.json") and path.parent.name == "receipts"
    document: dict[str, Any] = json.loads(path.read_text())
    document["path"] = path
    return document


@pytest.mark.parametrize("group", [True, False], ids=["ctrl-c-to-the-process-group", "sigint-to-python-only"])
def test_ctrl_c_after_a_change_says_what_was_done_and_keeps_it_in_a_receipt(
    site: AdminClient, mock_site: MockSite, data_dir: Path, started: list[CliProcess], group: bool
) -> None:
    # Auto-renew goes off first; then «Оплата услуг» waits on the slow card list.
    site.set_faults(latency_ms=HOLD_MS, latency_path="/api/v1/cards")
    env = cli_env(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
    run = start(started, ["cancel", "--yes"], env)
    run.wait_for("Check «Подписки» after a reload")

    run.interrupt(group=group)
    code, out, err = run.finish()

    assert code == 130, err
    message = one_error(err)
    assert message.startswith(f"interrupted: done before Ctrl-C: «{AUTO_RENEW_OFF}»; receipt: "), message
    receipt = receipt_of(message)
    assert receipt["interrupted"] is True and receipt["action"] == "cancel-interrupted"
    assert (receipt["site"], receipt["account"]) == (mock_site.url, DEMO_EMAIL)
    assert receipt["done"] == [AUTO_RENEW_OFF] and receipt["under_way"] is None
    names = [step["name"] for step in receipt["steps"]]
    assert names[names.index(AUTO_RENEW_OFF) + 1] == "Check «Подписки» after a reload"
    assert not any(name.startswith("Unbind") for name in names)
    if not group:
        # The browser lived on: the receipt shows the page as Ctrl-C left it.
        assert receipt["path"].with_suffix(".png").read_bytes().startswith(b"\x89PNG")
    # What the message says is what the site did, and nothing after it.
    assert [e["type"] for e in site.events() if e["type"] in ("auto_renew_disabled", "card_unbound")] == [
        "auto_renew_disabled"]
    assert [c["label"] for c in site.account()["cards"]] == ["Visa •••• 4242"]
    assert DEMO_PASSWORD not in out + err + receipt["path"].read_text()


def test_ctrl_c_during_a_change_says_it_may_have_happened(
    site: AdminClient, mock_site: MockSite, data_dir: Path, started: list[CliProcess]
) -> None:
    # The unbinding request (POST /api/v1/cards/<id>/unbind) fails, and is sent again and again
    # in its step: the step is under way from the first attempt until the last.
    attempts = 4
    site.set_faults(fail={"path": "/api/v1/cards/", "status": 503, "count": attempts})
    taken = site.faults_taken()
    env = cli_env(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
    run = start(started, ["unbind-card", "--yes"], env)
    run.wait_for("Open «Оплата услуг»")
    site.faults_taken(after=taken)  # the first attempt came
    site.set_faults(latency_ms=HOLD_MS, latency_path="/api/v1/cards/")  # and the next one waits

    run.interrupt(group=True)
    code, _, err = run.finish()

    assert code == 130, err
    message = one_error(err)
    assert message.startswith(f"interrupted during «{UNBIND}», which may or may not have been done "
                              "(`okko-cancel status` shows); nothing else was changed; receipt: "), message
    receipt = receipt_of(message)
    assert receipt["done"] == [] and receipt["under_way"] == UNBIND
    [step] = [s for s in receipt["steps"] if s["name"] == UNBIND]
    assert step["outcome"] == "failed"


# --------------------------------------------------------------------------------- batch

CROWD = [f"user{n:04d}@okko.test" for n in range(1, 4)]
FIRST, CUT, UNSTARTED = CROWD


def summary_rows(summary: Path) -> dict[str, dict[str, str]]:
    with summary.open(newline="") as handle:
        return {row["account"]: row for row in csv.DictReader(handle)}


@pytest.mark.scenario("crowd", accounts=len(CROWD))
def test_ctrl_c_in_a_batch_marks_the_account_interrupted_and_resume_finishes_it(
    site: AdminClient, mock_site: MockSite, data_dir: Path, tmp_path: Path, started: list[CliProcess]
) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("login,password\n" + "".join(f"{login},{DEMO_PASSWORD}\n" for login in CROWD))
    env = cli_env(data_dir, mock_site.url)
    run = start(started, ["batch", str(accounts), "cancel", "--yes", "--workers", "1"], env)
    run.wait_for(f"{FIRST} done")
    # The next account's card list (after its auto-renew goes off) waits while Ctrl-C comes.
    site.set_faults(latency_ms=HOLD_MS, latency_path="/api/v1/cards")
    # A batch prints no steps: the site says when the change is done.
    site.wait_for_event(lambda event: (event["type"], event["account"]) == ("auto_renew_disabled", CUT))

    run.interrupt(group=True)
    code, _, err = run.finish()

    assert code == 130, err
    summary = data_dir / "batch" / "accounts-cancel.csv"
    assert one_error(err) == (f"interrupted: 1 of 3 accounts had finished, 1 cut short ({CUT}: what each did is "
                              f"in the summary), 1 not started; summary: {summary}; `batch --resume` runs the rest")
    rows = summary_rows(summary)
    assert sorted(rows) == [FIRST, CUT]  # no account starts after Ctrl-C
    assert (rows[FIRST]["outcome"], rows[FIRST]["exit_code"]) == ("done", "0")
    assert (rows[CUT]["outcome"], rows[CUT]["exit_code"]) == ("interrupted", "130")
    assert rows[CUT]["error"].startswith("interrupted") and "Target" not in rows[CUT]["error"]
    receipt = json.loads(Path(rows[CUT]["receipt"]).read_text())
    assert receipt["interrupted"] is True and receipt["account"] == CUT
    # Ctrl-C came after the change, maybe before its step had read it back.
    assert [*receipt["done"], receipt["under_way"]] in ([AUTO_RENEW_OFF, None], [AUTO_RENEW_OFF])
    assert not [e for e in site.events() if e["account"] == UNSTARTED]

    site.clear_faults()
    resumed = start(started, ["batch", str(accounts), "cancel", "--yes", "--workers", "1", "--resume"], env)
    code, _, err = resumed.finish()

    assert code == 0, err
    rows = summary_rows(summary)
    assert {login: row["outcome"] for login, row in rows.items()} == {FIRST: "done", CUT: "done", UNSTARTED: "done"}
    # The interrupted account's flow read the state first: its auto-renew went off once only.
    assert [e["account"] for e in events_of(site, "auto_renew_disabled")] == CROWD
    assert sorted(str(e["account"]) for e in events_of(site, "card_unbound")) == CROWD
