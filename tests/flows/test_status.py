"""The `status` flow (flows/status.py): what read_state reads from the pages matches what
the admin API says the account has, for the default, multi, clean and big scenarios
(subscription names, auto-renew and card or store billing, card labels, device names and
which one is current), and reading changes nothing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from automations.steps import StepLog
from fixtures import AdminClient
from flows.registry import COMMANDS
from flows.login import open_settings
from flows.status import read_state


@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param("default"),
        pytest.param("multi", marks=pytest.mark.scenario("multi")),
        pytest.param("clean", marks=pytest.mark.scenario("clean")),
        # 20 subscriptions of every billing, 8 cards masked every way, 5 devices.
        pytest.param("big", marks=pytest.mark.scenario("big")),
    ],
)
def test_read_state_matches_the_site(site: AdminClient, settings_page: Page, steps: StepLog, scenario: str) -> None:
    account = site.state()["accounts"][0]
    events_before = site.events()
    mine = [e for e in events_before if e["type"] == "login_ok"][-1]["device"]

    state = read_state(settings_page, steps)

    assert [(s.name, s.auto_renew, s.card_billed) for s in state.subscriptions] == [
        (s["name"], s["auto_renew"], s["billing"] == "card") for s in account["subscriptions"]
    ]
    assert [c.label for c in state.cards] == [c["label"] for c in account["cards"]]
    assert [c.primary for c in state.cards] == [c["primary"] for c in account["cards"]]
    assert sorted(d.name for d in state.devices) == sorted(d["name"] for d in account["devices"])
    assert [d.name for d in state.devices if d.current] == [mine]
    assert [s.outcome for s in steps.records] == ["ok", "ok", "ok"]
    assert site.events() == events_before
    assert site.state()["accounts"][0] == account


def test_a_run_started_on_the_first_section_loads_each_section_once(
    site: AdminClient, signed_in_page: Page, steps: StepLog, loaded: list[str]
) -> None:
    account = site.account()
    open_settings(signed_in_page, steps, COMMANDS["status"].section())

    state = read_state(signed_in_page, steps)

    assert loaded == ["settings/subscriptions", "settings/payments", "settings/devices"]
    assert [s.name for s in state.subscriptions] == [s["name"] for s in account["subscriptions"]]
    assert [c.label for c in state.cards] == [c["label"] for c in account["cards"]]
