"""The whole `cancel` job (flows/cancel.py) against the mock site in a real browser.

Covered: auto-renew off, every card unbound and every other device signed out, in that
order (read from the admin event log), and a second run that changes nothing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from automations.pages import SettingsSection
from automations.steps import StepLog
from fixtures import AdminClient
from flows.registry import COMMANDS
from flows.cancel import cancel_everything
from tests.helpers import last_event_id

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow


@pytest.fixture
def start_on() -> type[SettingsSection]:
    """Runs of this flow open the settings at its first section: so do its tests."""
    return COMMANDS["cancel"].section()


def test_does_everything_in_order(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    since = last_event_id(site)

    report = cancel_everything(settings_page, steps)

    # Stop renewals first, then unbind the card, then sign out the three other devices.
    assert site.event_types(since) == ["auto_renew_disabled", "card_unbound"] + ["device_signed_out"] * 3
    account = site.account()
    assert [s["auto_renew"] for s in account["subscriptions"]] == [False]
    assert account["cards"] == []
    assert len(account["devices"]) == 1
    assert report.changed == [
        "disable-auto-renew: Оптимум",
        "unbind-card: Visa •••• 4242",
        *(f"sign-out-devices: {name}" for name in ["Samsung Smart TV", "iPhone 13", "Chrome, Windows"]),
    ]
    assert report.outcome == "done"


def test_second_run_changes_nothing(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    cancel_everything(settings_page, steps)
    state = site.account()
    since = last_event_id(site)

    again = cancel_everything(settings_page, steps)

    assert again.changed == []
    assert again.outcome == "already_done"
    assert site.events(since) == []
    assert site.account() == state
