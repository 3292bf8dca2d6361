"""`watch` monitored as `check` is, end to end on one data directory against the mock site in
a real browser, with a real webhook on loopback for the alerts:

1. right after `cancel --yes`: nothing to find; exit 0 and a green badge;
2. the site charges the cancelled «Оптимум» at its billing date (`charge_after_cancel`, the
   clock moved past it): exit 6, a red badge, nobody alerted yet (--alert-after 2);
3. still charged: the one alert, with the finding and where the evidence is;

and `history` lists the three watch runs, each with a step per thing watched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.helpers import cli_env, run
from tests.keyrings import MemoryKeyring
from tests.webhook import Webhook, serve_webhook

# Whole commands, each with a browser: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

OPTIMUM = "Оптимум"


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    with serve_webhook() as hook:
        yield hook


def test_watch_alerts_after_n_runs_with_findings_and_history_lists_its_runs(
    site: AdminClient, mock_site: MockSite, data_dir: Path, tmp_path: Path, webhook: Webhook,
    memory_keyring: MemoryKeyring,
) -> None:
    env = cli_env(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
    badge = tmp_path / "badge.json"
    watch = ["watch", "--notify", webhook.url, "--alert-after", "2", "--badge", str(badge)]
    billing_day = date.fromisoformat(next(s for s in site.account()["subscriptions"] if s["name"] == OPTIMUM)
                                     ["next_charge"])
    cancelled = run(["cancel", "--yes"], env)
    assert cancelled.exit_code == 0, cancelled.output

    clean = run(watch, env)

    assert clean.exit_code == 0, clean.output
    assert json.loads(badge.read_text()) == {"schemaVersion": 1, "label": "watch", "message": "clean",
                                             "color": "brightgreen"}

    site.set_faults(charge_after_cancel=True)
    site.advance_clock((billing_day - date.fromisoformat(site.today())).days + 1)

    first = run(watch, env)

    assert first.exit_code == 6, first.output
    assert webhook.received == []
    assert json.loads(badge.read_text()) == {"schemaVersion": 1, "label": "watch", "message": "charged after cancel",
                                             "color": "red"}

    second = run([*watch, "--json"], env)

    assert second.exit_code == 6, second.output
    [alert] = webhook.received
    site_key = mock_site.url.split("://", 1)[1]
    assert alert["type"] == "failure"
    assert alert["title"] == f"okko-cancel watch found a charge after cancellation on {site_key}"
    message = alert["message"]
    assert "found something 2 runs in a row" in message
    [finding] = json.loads(second.stdout)["findings"]
    assert finding["message"] in message and f"«{OPTIMUM}»: 399 ₽ charged on" in finding["message"]
    assert json.loads(second.stdout)["evidence"] in message
    assert f"Alert sent: {alert['title']}" in second.stderr

    history = run(["history", "--json"], env)

    assert history.exit_code == 0, history.output
    runs = json.loads(history.stdout)["runs"]
    assert [(r["command"], r["site"], r["passed"], r["alert"]) for r in runs] == [
        ("watch", site_key, False, "failing"), ("watch", site_key, False, None), ("watch", site_key, True, None)]
    assert [(s["group"], s["name"], s["outcome"]) for s in runs[0]["steps"]] == [
        ("watch", "auto-renew stays off", "ok"), ("watch", "no card bound again", "ok"),
        ("watch", "no payment after a cancellation", "failed")]
    payments = next(s for s in json.loads(history.stdout)["steps"] if s["name"] == "no payment after a cancellation")
    assert (payments["passed"], payments["failed"], payments["pass_rate"]) == (1, 2, 0.3333)
    assert payments["median_seconds"] > 0


def test_a_watch_that_cannot_read_the_account_is_a_failing_run_and_alerted_on(
    site: AdminClient, mock_site: MockSite, data_dir: Path, tmp_path: Path, webhook: Webhook,
    memory_keyring: MemoryKeyring,
) -> None:
    env = cli_env(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
    badge = tmp_path / "badge.json"
    cancelled = run(["cancel", "--yes"], env)
    assert cancelled.exit_code == 0, cancelled.output
    site.set_faults(fail={"path": "/api/v1/cards", "status": 503, "count": 1000})

    down = run(["watch", "--notify", webhook.url, "--alert-after", "1", "--badge", str(badge)], env)

    assert down.exit_code == 4, down.output
    error = down.stderr.strip().splitlines()[-1].removeprefix("Error: ")
    [alert] = webhook.received
    site_key = mock_site.url.split("://", 1)[1]
    assert alert["title"] == f"okko-cancel watch could not read the account on {site_key}"
    assert error in alert["message"]
    assert json.loads(badge.read_text()) == {"schemaVersion": 1, "label": "watch",
                                             "message": "could not read the account", "color": "lightgrey"}
    runs = json.loads(run(["history", "--json"], env).stdout)["runs"]
    assert [(r["command"], r["passed"], r["alert"]) for r in runs] == [("watch", False, "failing")]
    assert [(s["name"], s["outcome"]) for s in runs[0]["steps"]] == [("read the account", "failed")]
