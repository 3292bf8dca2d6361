"""The `disable-auto-renew` flow (flows/auto_renew.py) against the mock site in a real browser.

Covered: auto-renew turned off through the retention offer («Всё равно отключить»), the
survey («Другое» → reason "other") and the confirmation, never accepting the offer; a
second run reporting already done; a dry run that walks all three dialogs and backs out
at the last one; the `multi` scenario, where the App Store subscription is left alone and
reported with where to manage it; `subscription=` choosing one; an unknown subscription
refused with a ConfigurationError naming the account's subscriptions; slow writes, where
each change must be seen done before the next one (and the final reload) starts.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pydantic import SecretStr

from automations.credentials import Credentials
from automations.errors import ConfigurationError
from automations.pages import SettingsSection
from automations.steps import StepLog
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient
from flows.registry import COMMANDS
from flows.auto_renew import disable_auto_renew
from flows.login import ensure_signed_in
from tests.helpers import last_event_id

# Records the title of every modal the page opens, across the flow's reloads (sessionStorage).
RECORD_DIALOGS = """
(() => {
  const show = HTMLDialogElement.prototype.showModal;
  HTMLDialogElement.prototype.showModal = function () {
    const titles = JSON.parse(sessionStorage.getItem("shown-dialogs") || "[]");
    titles.push(this.querySelector("h2").textContent);
    sessionStorage.setItem("shown-dialogs", JSON.stringify(titles));
    return show.call(this);
  };
})();
"""


@pytest.fixture
def start_on() -> type[SettingsSection]:
    """Runs of this flow open the settings at its first section: so do its tests."""
    return COMMANDS["disable-auto-renew"].section()


def renewing(site: AdminClient) -> dict[str, bool]:
    return {sub["name"]: sub["auto_renew"] for sub in site.account()["subscriptions"]}


def test_turns_auto_renew_off_declining_the_offer(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    since = last_event_id(site)

    report = disable_auto_renew(settings_page, steps)

    optimum = site.account()["subscriptions"][0]
    assert (optimum["name"], optimum["auto_renew"], optimum["offer_accepted"]) == ("Оптимум", False, False)
    events = site.events(since)
    assert [(e["type"], e["subscription"], e["reason"]) for e in events] == [
        ("auto_renew_disabled", "Оптимум", "other")
    ]
    assert "offer_accepted" not in site.event_types()
    assert report.changed == ["Оптимум"]
    card = settings_page.get_by_role("article", name="Оптимум", exact=True)
    expect(card.get_by_text("Автопродление отключено")).to_be_visible()


def test_second_run_is_already_done(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    disable_auto_renew(settings_page, steps)
    since = last_event_id(site)

    again = disable_auto_renew(settings_page, steps)

    assert again.changed == []
    assert again.outcome == "already_done"
    assert site.events(since) == []


def test_dry_run_walks_every_dialog_and_changes_nothing(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    settings_page.add_init_script(RECORD_DIALOGS)
    settings_page.reload()  # the recorder runs from the next document on
    before = site.account()["subscriptions"]
    since = last_event_id(site)

    report = disable_auto_renew(settings_page, steps, dry_run=True)

    shown = settings_page.evaluate("JSON.parse(sessionStorage.getItem('shown-dialogs') || '[]')")
    assert shown == ["Подождите! 3 месяца за 1 ₽", "Почему вы отключаете автопродление?", "Вы уверены?"]
    expect(settings_page.get_by_role("dialog")).to_have_count(0)
    card = settings_page.get_by_role("article", name="Оптимум", exact=True)
    expect(card.get_by_role("button", name="Отключить автопродление")).to_be_visible()
    assert site.account()["subscriptions"] == before
    assert site.events(since) == []
    assert report.changed == ["Оптимум"]
    assert report.outcome == "dry_run"


@pytest.mark.scenario("multi")
def test_store_billed_subscription_is_left_alone_and_reported(
    site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    since = last_event_id(site)

    report = disable_auto_renew(settings_page, steps)

    assert renewing(site) == {"Оптимум": False, "Премиум": True, "Оптимум + Амедиатека": False}
    disabled = [e["subscription"] for e in site.events(since) if e["type"] == "auto_renew_disabled"]
    assert sorted(disabled) == ["Оптимум", "Оптимум + Амедиатека"]
    assert "offer_accepted" not in site.event_types()
    [note] = report.notes
    assert "Премиум" in note
    assert "App Store" in note
    assert "Управляйте подпиской в настройках App Store" in note
    assert note.endswith("— see `okko-cancel guide ios`")


@pytest.mark.scenario("multi")
def test_subscription_option_touches_only_that_one(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    since = last_event_id(site)

    report = disable_auto_renew(settings_page, steps, subscription="Оптимум")

    assert renewing(site) == {"Оптимум": False, "Премиум": True, "Оптимум + Амедиатека": True}
    assert [(e["type"], e["subscription"]) for e in site.events(since)] == [("auto_renew_disabled", "Оптимум")]
    assert report.changed == ["Оптимум"]


@pytest.mark.scenario("multi")
def test_unknown_subscription_is_a_configuration_error_naming_them(
    site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    since = last_event_id(site)

    with pytest.raises(ConfigurationError) as raised:
        disable_auto_renew(settings_page, steps, subscription="Лайт")

    message = str(raised.value)
    assert raised.value.exit_code == 2
    assert "Лайт" in message
    for name in ("Оптимум", "Премиум", "Оптимум + Амедиатека"):
        assert f"«{name}»" in message
    assert site.events(since) == []
    assert all(renewing(site).values())


@pytest.mark.scenario("multi")
def test_waits_for_each_change_before_moving_on(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    # Slow writes only (the reads stay fast): the first subscription's toast, still on screen,
    # must not pass for the second one's change, or the page reloads before it is sent.
    site.set_faults(latency_ms=400, latency_path="/api/v1/subscriptions/")

    report = disable_auto_renew(settings_page, steps)

    assert sorted(report.changed) == ["Оптимум", "Оптимум + Амедиатека"]
    assert renewing(site) == {"Оптимум": False, "Премиум": True, "Оптимум + Амедиатека": False}


def test_a_run_that_logs_in_reads_its_first_section_only_once_it_has_loaded(
    site: AdminClient, consented_page: Page, steps: StepLog, outbox_codes: Callable[[str], str]
) -> None:
    # The login sends the page back to the section, whose heading shows while its stylesheet
    # is still on the way; until it arrives the loading skeleton has no size and looks gone,
    # and a section read then looked empty: "nothing to do", with auto-renew still on.
    site.set_faults(latency_ms=400, latency_path="/static/style.css")
    ensure_signed_in(consented_page, steps, Credentials(DEMO_EMAIL, SecretStr(DEMO_PASSWORD)),
                     start_on=COMMANDS["disable-auto-renew"].section(), code_provider=outbox_codes)

    report = disable_auto_renew(consented_page, steps)

    assert report.changed == ["Оптимум"]
    assert [s["auto_renew"] for s in site.account()["subscriptions"]] == [False]
