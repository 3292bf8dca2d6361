"""The `unbind-card` flow (flows/unbind_card.py) against the mock site in a real browser.

Covered: every bound card unbound (one `card_unbound` event per card, read from the admin
API), a second run on the same page reporting already done with no new event, a dry run
that changes nothing but names the card, `card=` choosing one card of several, an
unknown card refused with a ConfigurationError naming the bound cards, and slow writes,
where each card must be seen gone before the next one (and the final reload).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from automations.errors import ConfigurationError
from automations.pages import SettingsSection
from automations.steps import StepLog
from fixtures import AdminClient
from flows.registry import COMMANDS
from flows.unbind_card import unbind_cards
from tests.helpers import last_event_id


@pytest.fixture
def start_on() -> type[SettingsSection]:
    """Runs of this flow open the settings at its first section: so do its tests."""
    return COMMANDS["unbind-card"].section()


def card_labels(site: AdminClient) -> list[str]:
    return [card["label"] for card in site.account()["cards"]]


def unbound_cards(site: AdminClient, since: int) -> list[str]:
    return [event["card"] for event in site.events(since) if event["type"] == "card_unbound"]


@pytest.mark.parametrize(
    "labels",
    [
        pytest.param(["Visa •••• 4242"], id="default"),
        pytest.param(["Visa •••• 4242", "Мир •••• 0077"], marks=pytest.mark.scenario("multi"), id="multi"),
    ],
)
def test_unbinds_every_card_once(site: AdminClient, settings_page: Page, steps: StepLog, labels: list[str]) -> None:
    assert card_labels(site) == labels
    since = last_event_id(site)

    report = unbind_cards(settings_page, steps)

    assert card_labels(site) == []
    assert sorted(unbound_cards(site, since)) == sorted(labels)
    assert sorted(report.changed) == sorted(labels)
    expect(settings_page.get_by_text("Нет привязанных карт")).to_be_visible()


def test_second_run_is_already_done(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    unbind_cards(settings_page, steps)
    since = last_event_id(site)

    again = unbind_cards(settings_page, steps)

    assert again.changed == []
    assert again.outcome == "already_done"
    assert site.events(since) == []


def test_dry_run_changes_nothing_but_names_the_card(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    before = site.account()["cards"]
    since = last_event_id(site)

    report = unbind_cards(settings_page, steps, dry_run=True)

    assert report.changed == ["Visa •••• 4242"]
    assert report.outcome == "dry_run"
    assert site.account()["cards"] == before
    assert site.events(since) == []
    expect(settings_page.get_by_role("dialog")).to_have_count(0)


@pytest.mark.scenario("multi")
def test_waits_for_each_unbinding_before_moving_on(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    # Slow writes only (the reads stay fast): the card still on screen right after «Отвязать»
    # must not pass for done, or the page reloads before the site has unbound it.
    site.set_faults(latency_ms=400, latency_path="/api/v1/cards/")

    report = unbind_cards(settings_page, steps)

    assert sorted(report.changed) == ["Visa •••• 4242", "Мир •••• 0077"]
    assert card_labels(site) == []


@pytest.mark.scenario("multi")
def test_card_option_unbinds_only_that_card(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    since = last_event_id(site)

    report = unbind_cards(settings_page, steps, card="0077")

    assert card_labels(site) == ["Visa •••• 4242"]
    assert unbound_cards(site, since) == ["Мир •••• 0077"]
    assert report.changed == ["Мир •••• 0077"]


@pytest.mark.scenario("multi")
def test_unknown_card_is_a_configuration_error_naming_the_bound_cards(
    site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    since = last_event_id(site)

    with pytest.raises(ConfigurationError) as raised:
        unbind_cards(settings_page, steps, card="1111")

    assert raised.value.exit_code == 2
    assert "1111" in str(raised.value)
    assert "Visa •••• 4242" in str(raised.value) and "Мир •••• 0077" in str(raised.value)
    assert len(card_labels(site)) == 2
    assert site.events(since) == []
