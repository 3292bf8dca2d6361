"""`check`'s history (automations/history.py) in a real SQLite file, and `okko-cancel history`
reading it: runs and steps kept between processes, the failing streak an alert waits for
(per site and mode), each step's pass rate and median duration, a file that is not a
database named in one line. No browser: the runs are recorded as `check` records them.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from automations.history import (
    History,
    HistoryUnreadable,
    Mode,
    NewRun,
    StepRun,
    check_run,
    expected_steps,
)
from tests.helpers import cli_env, error_line, run

LOGIN = StepRun("login", "Open the settings", "ok", 1.0)


def new_run(passed: bool, *, mode: Mode = "mock", site: str = "mock", when: str = "2025-07-01T07:17:00+00:00",
            unbind: float = 0.5) -> NewRun:
    """A run as `check` records one: on failure, the unbind flow's first step failed and its rest was skipped."""
    steps = [LOGIN, StepRun("unbind-card", "Open «Оплата услуг»", "ok" if passed else "failed", unbind),
             StepRun("unbind-card", "Unbind Visa •••• 4242", "ok" if passed else "skipped", 0.3 if passed else 0.0),
             StepRun("login", "Open the settings", "ok", 0.1)]
    return NewRun("check", when, 7.0, site, mode, "okko" if mode == "mock" else None, passed, "/tmp/report/index.html",
                  steps)


def test_runs_and_steps_are_kept_in_a_private_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "history.sqlite"
    with History.open(path) as history:
        history.record(new_run(True, when="2025-07-01T07:17:00+00:00"))
        history.record(new_run(False, when="2025-07-02T07:17:00+00:00"))

    with History.open(path) as history:  # another process, the next morning
        runs = history.last_runs(10)

    assert [(r.started_at[:10], r.passed) for r in runs] == [("2025-07-02", False), ("2025-07-01", True)]
    assert [(s.group, s.name, s.outcome) for s in runs[0].steps[1:3]] == [
        ("unbind-card", "Open «Оплата услуг»", "failed"), ("unbind-card", "Unbind Visa •••• 4242", "skipped")]
    assert runs[0].report == "/tmp/report/index.html" and runs[0].mode == "mock"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_streak_counts_the_failures_in_a_row_of_one_site_and_mode(tmp_path: Path) -> None:
    with History.open(tmp_path / "history.sqlite") as history:
        history.record(new_run(False))
        history.record(new_run(True))
        first = history.record(new_run(False))
        history.record(new_run(True, mode="live", site="okko.tv"))  # the live site's run is another story
        second = history.record(new_run(False))

        assert [r.id for r in history.failing_streak(second)] == [second.id, first.id]
        assert history.failing_streak(first) == [first]
        recovered = history.record(new_run(True))
        assert [r.id for r in history.streak_before(recovered)] == [second.id, first.id]
        assert history.failing_streak(recovered) == []


def test_the_last_passing_run_names_each_flows_steps(tmp_path: Path) -> None:
    with History.open(tmp_path / "history.sqlite") as history:
        history.record(new_run(True, when="2025-07-01T07:17:00+00:00"))
        history.record(new_run(False))

        last = history.last_passing("check", "mock", "mock")

    assert last is not None and last.started_at.startswith("2025-07-01")
    assert expected_steps(last) == {"login": ["Open the settings", "Open the settings"],
                                    "unbind-card": ["Open «Оплата услуг»", "Unbind Visa •••• 4242"]}
    assert expected_steps(None) == {}


def test_a_check_document_becomes_a_run(tmp_path: Path) -> None:
    document = {"started_at": "2025-07-01T07:17:00+00:00", "passed": False, "steps": [
        {"group": "login", "name": "Open the settings", "outcome": "ok", "seconds": 1.23456, "element": ""}]}

    with History.open(tmp_path / "history.sqlite") as history:
        recorded = history.record(check_run(document, mode="live", site="okko.tv", variant=None, seconds=7.5,
                                            report="https://ci.example/runs/1"))

    assert (recorded.site, recorded.mode, recorded.passed, recorded.seconds) == ("okko.tv", "live", False, 7.5)
    assert recorded.steps == (StepRun("login", "Open the settings", "ok", 1.235),)


def test_a_file_that_is_not_a_history_is_named_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    path.write_text("these are not the runs you are looking for\n" * 100)

    with pytest.raises(HistoryUnreadable, match="history.sqlite.*move it away"), History.open(path):
        pass


# ------------------------------------------------------------------------ okko-cancel history


@pytest.fixture
def recorded(data_dir: Path) -> Path:
    """Three mock runs (passed, failed, passed; the unbind step 0.5, 0.9, 0.7 s) and one live run."""
    with History.open(data_dir / "history.sqlite") as history:
        for day, passed, unbind in ((1, True, 0.5), (2, False, 0.9), (3, True, 0.7)):
            history.record(new_run(passed, when=f"2025-07-0{day}T07:17:00+00:00", unbind=unbind))
        history.record(new_run(True, mode="live", site="okko.tv", when="2025-07-04T07:17:00+00:00"))
    return data_dir


def test_history_json_gives_the_last_runs_and_each_steps_pass_rate(recorded: Path) -> None:
    result = run(["history", "--json", "--limit", "3"], cli_env(recorded, "https://okko.tv"))

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [(r["started_at"][:10], r["mode"], r["passed"]) for r in document["runs"]] == [
        ("2025-07-04", "live", True), ("2025-07-03", "mock", True), ("2025-07-02", "mock", False)]
    steps = {(s["mode"], s["name"], s["occurrence"]): s for s in document["steps"]}
    opened = steps["mock", "Open «Оплата услуг»", 1]
    assert (opened["passed"], opened["failed"], opened["pass_rate"], opened["median_seconds"]) == (1, 1, 0.5, 0.8)
    # A step that was skipped did not run: its rate is over the runs in which it ran.
    unbind = steps["mock", "Unbind Visa •••• 4242", 1]
    assert (unbind["passed"], unbind["skipped"], unbind["pass_rate"]) == (1, 1, 1.0)
    # The same name twice in a flow is two steps, each with its own median.
    assert (steps["mock", "Open the settings", 1]["median_seconds"],
            steps["mock", "Open the settings", 2]["median_seconds"]) == (1.0, 0.1)
    assert steps["live", "Open «Оплата услуг»", 1]["pass_rate"] == 1.0


def test_history_prints_the_runs_and_the_steps(recorded: Path) -> None:
    result = run(["history"], cli_env(recorded, "https://okko.tv", COLUMNS="200"))

    assert result.exit_code == 0, result.output
    assert "The last 4 runs" in result.stdout and "Each step over these runs" in result.stdout
    assert "2 of 3 (67%)" in result.stdout  # «Оплата услуг» on the mock: passed, failed, passed


def test_history_without_any_run_says_so_and_makes_no_file(data_dir: Path) -> None:
    result = run(["history"], cli_env(data_dir, "https://okko.tv"))

    assert result.exit_code == 0, result.output
    assert "No check or watch run is recorded yet" in result.stdout
    assert not (data_dir / "history.sqlite").exists()


def test_history_on_a_file_that_is_not_one_exits_2_naming_it(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700)
    (data_dir / "history.sqlite").write_bytes(b"\x00not sqlite" * 200)

    result = run(["history"], cli_env(data_dir, "https://okko.tv"))

    assert result.exit_code == 2, result.output
    assert "history.sqlite" in error_line(result)
