"""`check --baseline DIR` at the command line: a green run on the `okko` layout becomes the
baseline; `redesign` (another DOM, every step passing) is then a drift that fails the run
with --fail-on-drift, leaving the baseline as it was, and is a warning without it, shown in
the table, the JSON, the JUnit and the HTML report, after which redesign is the baseline.
Neither the baseline nor any report holds a personal datum of the mock's scenarios."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.helpers import cli_env, error_line, run
from tests.personal_data import leaks

# Whole commands: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow


def test_a_drift_that_breaks_no_step_warns_or_with_fail_on_drift_fails(data_dir: Path, tmp_path: Path) -> None:
    env = cli_env(data_dir, "https://okko.tv")
    baseline = tmp_path / "ci-baseline"
    junit, report = tmp_path / "check.xml", tmp_path / "report"

    first = run(["check", "--mock", "--baseline", str(baseline)], env)

    assert first.exit_code == 0, first.output
    assert f"this run's snapshots are the baseline now ({baseline})" in first.stdout
    kept = (baseline / "baseline.json").read_text()

    strict = run(["check", "--mock", "--variant", "redesign", "--baseline", str(baseline), "--fail-on-drift",
                  "--json"], env)

    assert strict.exit_code == 1, strict.output
    document = json.loads(strict.stdout)
    assert document["counts"]["failed"] == 0 and document["drift"]["found"] and not document["drift"]["kept"]
    assert "changed since the ARIA baseline" in error_line(strict)
    assert (baseline / "baseline.json").read_text() == kept

    warned = run(["check", "--mock", "--variant", "redesign", "--baseline", str(baseline), "--junit", str(junit),
                  "--report", str(report)], env)

    assert warned.exit_code == 0, warned.output
    # The table wraps its cells to the terminal's width: its words are read in the JUnit below.
    assert "Changes since the ARIA baseline" in warned.stdout and "disappeared:" in warned.stdout
    assert "warning: the pages changed since the ARIA baseline" in warned.stderr
    cases = ET.parse(junit).getroot().iter("testcase")
    said = {case.get("name"): case.findtext("system-out") or "" for case in cases}
    assert "disappeared: article «Оптимум»" in said["Open «Подписки»"]
    html = (report / "index.html").read_text()
    assert "Changes since the ARIA baseline" in html and html.count('<table class="trees">') >= 3
    assert "listitem" in (baseline / "settings.subscriptions.yml").read_text()  # redesign is the baseline now

    shared = {path.name: path.read_text() for path in [*baseline.iterdir(), junit, report / "index.html"]}
    shared["check --json"] = strict.stdout
    assert {name: leaks(text) for name, text in shared.items() if leaks(text)} == {}
