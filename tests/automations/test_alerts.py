"""Alerts (automations/alerts.py) through Apprise to a real webhook on loopback: one alert once
N runs in a row have failed, naming the step, what it looked for and where the report is;
none again for the same streak; one "recovered" when a run passes after it; a webhook that is
down is a warning and the streak is tried again; OKKO_NOTIFY_URLS and a URL Apprise cannot use.
No browser: the runs are recorded in a real history file as `check` records them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from automations.alerts import alert_after_run, record_and_alert, where_is_the_report
from automations.history import History, NewRun, StepRun
from automations.settings import load_settings
from tests.helpers import cli_env, error_line, run
from tests.webhook import Webhook, serve_webhook

FAILED_STEP: dict[str, Any] = {"group": "unbind-card", "name": "Open «Оплата услуг»", "outcome": "failed",
                               "element": "the link «Оплата услуг» in the navigation «Настройки»",
                               "url": "https://okko.tv/settings/subscriptions"}
REPORT = "/srv/check/report/index.html"


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    with serve_webhook() as hook:
        yield hook


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    with History.open(tmp_path / "history.sqlite") as opened:
        yield opened


def morning(history: History, passed: bool, urls: list[str], warnings: list[str], alert_after: int = 2) -> str | None:
    """One scheduled check's end: the run recorded, and the alert it calls for sent; which kind went out."""
    new = NewRun("check", "2025-07-01T07:17:00+00:00", 7.0, "okko.tv", "live", None, passed, REPORT,
                 [StepRun("unbind-card", FAILED_STEP["name"], "ok" if passed else "failed", 2.0)])
    alert = record_and_alert(history, new, [] if passed else [FAILED_STEP], urls=urls, alert_after=alert_after,
                             site="okko.tv", where=REPORT, warn=warnings.append)
    return alert.kind if alert else None


def test_one_alert_after_two_failures_in_a_row_then_one_recovered(history: History, webhook: Webhook) -> None:
    warnings: list[str] = []

    assert morning(history, False, [webhook.url], warnings) is None
    assert webhook.received == []  # one failure may be the site's bad morning
    assert morning(history, False, [webhook.url], warnings) == "failing"
    assert morning(history, False, [webhook.url], warnings) is None  # the same streak: told already
    assert morning(history, True, [webhook.url], warnings) == "recovered"
    assert morning(history, True, [webhook.url], warnings) is None

    assert [m["type"] for m in webhook.received] == ["failure", "success"]
    failing, recovered = webhook.received
    assert failing["title"] == "okko-cancel check fails on okko.tv"
    assert "failed 2 runs in a row" in failing["message"]
    assert "«Open «Оплата услуг»» (unbind-card)" in failing["message"]
    assert "looked for the link «Оплата услуг» in the navigation «Настройки»" in failing["message"]
    assert "at https://okko.tv/settings/subscriptions" in failing["message"]
    assert f"Report: {REPORT}" in failing["message"]
    assert recovered["title"] == "okko-cancel check passes again on okko.tv"
    assert "after 3 failing runs in a row" in recovered["message"] and REPORT in recovered["message"]
    assert warnings == []
    assert [r.alert for r in reversed(history.last_runs(5))] == [None, "failing", None, "recovered", None]


def test_a_webhook_that_is_down_is_a_warning_and_the_streak_is_told_at_its_next_failure(
    history: History, webhook: Webhook
) -> None:
    warnings: list[str] = []
    webhook.status = 500

    assert morning(history, False, [webhook.url], warnings, alert_after=1) is None
    assert len(warnings) == 1
    assert f"json://127.0.0.1:{webhook.port}/" in warnings[0] and "500" in warnings[0]

    webhook.status = 200
    assert morning(history, False, [webhook.url], warnings, alert_after=1) == "failing"
    assert [m["type"] for m in webhook.received] == ["failure"]


def test_one_address_down_does_not_keep_the_alert_from_the_others(history: History, webhook: Webhook) -> None:
    warnings: list[str] = []
    history.record(NewRun("check", "2025-07-01T07:17:00+00:00", 7.0, "okko.tv", "live", None, False, REPORT))
    latest = history.record(NewRun("check", "2025-07-02T07:17:00+00:00", 7.0, "okko.tv", "live", None, False, REPORT))

    alert = alert_after_run(history, latest, [FAILED_STEP], urls=["json://127.0.0.1:9/", webhook.url], alert_after=2,
                            site="okko.tv", where=REPORT, warn=warnings.append)

    assert alert is not None and len(webhook.received) == 1
    assert len(warnings) == 1 and "json://127.0.0.1:9/" in warnings[0]


def test_without_an_address_nothing_is_sent_or_marked(history: History) -> None:
    warnings: list[str] = []

    assert morning(history, False, [], warnings, alert_after=1) is None
    assert [r.alert for r in history.last_runs(1)] == [None]


def test_the_report_is_where_ci_keeps_it_and_on_the_machine(tmp_path: Path) -> None:
    environ = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "me/okko-cancel",
               "GITHUB_RUN_ID": "42"}

    where = where_is_the_report(report_index=tmp_path / "r" / "index.html", junit=None, artifacts=tmp_path / "a",
                                environ=environ)

    assert where == f"https://github.com/me/okko-cancel/actions/runs/42, {tmp_path / 'r' / 'index.html'}"
    assert where_is_the_report(report_index=None, junit=None, artifacts=tmp_path / "a", environ={}) == str(
        tmp_path / "a")


# ------------------------------------------------------------------------ settings and checks


def test_okko_notify_urls_takes_commas_or_spaces(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OKKO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OKKO_NOTIFY_URLS", "json://a.example/hook, tgram://123:abc/456  mailto://me:pw@example.com")

    assert load_settings().notify_urls == ["json://a.example/hook", "tgram://123:abc/456", "mailto://me:pw@example.com"]
    assert load_settings(notify_urls=["json://b.example/"]).notify_urls == ["json://b.example/"]  # --notify wins
    monkeypatch.setenv("OKKO_NOTIFY_URLS", "")
    assert load_settings().notify_urls == []


def test_a_url_apprise_cannot_use_exits_2_before_any_browser_without_echoing_it(data_dir: Path) -> None:
    result = run(["check", "--notify", "json://127.0.0.1:9/", "--notify", "nosuchservice://token-SENTINEL@host"],
                 cli_env(data_dir, "https://okko.tv"))

    assert result.exit_code == 2, result.output
    line = error_line(result)
    assert "notify URL 2 of 2 (nosuchservice://…)" in line and "SENTINEL" not in result.output
    assert not (data_dir / "history.sqlite").exists()
