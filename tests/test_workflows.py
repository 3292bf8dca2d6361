"""The GitHub workflows: valid by actionlint, and saying what the schedule promises."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"
CHECK_FLOWS = WORKFLOWS / "check-flows.yml"
TESTS = WORKFLOWS / "tests.yml"


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert found, "actionlint is missing: it comes with the test extra (pip install -e '.[test]')"
    return found


@pytest.mark.parametrize("workflow", [CHECK_FLOWS, TESTS], ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    done = subprocess.run([actionlint(), "-no-color", str(workflow)], capture_output=True, text=True, check=False)

    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")

    done = subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True, text=True, check=False)

    assert done.returncode == 1 and "nope" in done.stdout


def test_check_flows_runs_daily_on_demand_and_one_at_a_time() -> None:
    text = CHECK_FLOWS.read_text()
    assert "schedule:" in text and "cron:" in text and "workflow_dispatch:" in text
    assert "concurrency:" in text and "group: check-flows" in text


def test_check_flows_always_checks_the_mock_and_the_live_site_only_with_secrets() -> None:
    text = CHECK_FLOWS.read_text()
    assert "make setup" in text
    assert "okko-cancel check --mock --junit reports/mock.xml --report reports/mock --badge badges/mock.json" in text
    assert "if: ${{ !cancelled() && env.HAS_LIVE_ACCOUNT == 'true' }}" in text
    assert "secrets.OKKO_PASSWORD" in text
    # okko.tv logs in by a code: the live check runs on a carried session (okko-cancel takes it
    # in, private), or reads the code from the mailbox; never a session file written by hand.
    live = text[text.index("- name: Check the flows on okko.tv"):]
    live = live[:live.index("- name:", 1)]
    for secret in ("OKKO_SESSION", "OKKO_CODE_IMAP", "OKKO_CODE_IMAP_PASSWORD"):
        assert f"{secret}: ${{{{ secrets.{secret} }}}}" in live
    assert "secrets.OKKO_SESSION != ''" in text and "secrets.OKKO_CODE_IMAP != ''" in text
    assert "session.json" not in text


def test_check_flows_uploads_only_the_reports_and_badges() -> None:
    text = CHECK_FLOWS.read_text()
    uploads = text.split("actions/upload-artifact")[1:]
    assert ["path: reports/" in upload for upload in uploads] == [True, False]
    assert "path: badges/" in uploads[1] and "name: check-badges" in uploads[1]
    # Sessions and traces live in the data dir, outside the workspace and so the uploaded folders.
    assert 'echo "OKKO_DATA_DIR=$RUNNER_TEMP/okko-data" >> "$GITHUB_ENV"' in text


def test_check_flows_keeps_the_history_and_baselines_between_runs_even_when_a_check_fails() -> None:
    text = CHECK_FLOWS.read_text()
    restore = text[text.index("actions/cache/restore@"):text.index("actions/setup-python")]
    save = text[text.index("actions/cache/save@"):text.index("actions/upload-artifact")]
    kept = "path: |\n            ${{ runner.temp }}/okko-data/history.sqlite\n            ${{ runner.temp }}/okko-data/baselines"
    key = "key: check-history-${{ github.run_id }}-${{ github.run_attempt }}"
    assert kept in restore and key in restore and "restore-keys: check-history-" in restore
    assert kept in save and key in save
    # actions/cache's own post step saves only after success: the save step runs after a failure too.
    step = text[:text.index("actions/cache/save@")].rsplit("- name:", 1)[1]
    assert "if: ${{ !cancelled() }}" in step
    assert text.index("actions/cache/restore@") < text.index("okko-cancel check --mock") < text.index(
        "actions/cache/save@")


def test_check_flows_alerts_the_addresses_of_a_secret() -> None:
    text = CHECK_FLOWS.read_text()
    assert "OKKO_NOTIFY_URLS: ${{ secrets.OKKO_NOTIFY_URLS }}" in text
    assert "--badge badges/live.json" in text


def test_tests_workflow_runs_make_test_on_push_and_pull_request() -> None:
    text = TESTS.read_text()
    assert "push:" in text and "pull_request:" in text and "run: make test" in text


def test_check_flows_watches_the_cancelled_account_after_the_live_check() -> None:
    text = CHECK_FLOWS.read_text()
    watch = text[text.index("- name: Watch that the account stays cancelled"):]
    watch = watch[:watch.index("- name:", 1)]
    assert text.index("- name: Check the flows on okko.tv") < text.index("- name: Watch that the account stays")
    assert "env.HAS_LIVE_ACCOUNT == 'true' && env.HAS_CANCEL_RECEIPT == 'true'" in watch
    assert "okko-cancel watch --alert-after 1 --badge badges/watch.json" in watch
    # The receipt written from the secret is private, in the data directory watch reads.
    assert 'umask 077' in watch and '"$OKKO_DATA_DIR/receipts/' in watch

