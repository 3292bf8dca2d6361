"""The `sign-out-devices` flow (flows/devices.py) against the mock site in a real browser.

Covered: the bulk «Выйти на всех устройствах» signing out every other device (the admin
state keeps only this test's own browser; one `device_signed_out` event per device), one
device by name, refusing the current device or an unknown one with a ConfigurationError,
a dry run that changes nothing, a second run reporting already done, and a slow
stylesheet not making the section look empty (a false "already done").
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from automations.errors import ConfigurationError
from automations.pages import SettingsSection
from automations.steps import StepLog
from fixtures import AdminClient
from flows.registry import COMMANDS
from flows.devices import sign_out_devices
from tests.helpers import last_event_id

OTHERS = ["Samsung Smart TV", "iPhone 13", "Chrome, Windows"]


@pytest.fixture
def start_on() -> type[SettingsSection]:
    """Runs of this flow open the settings at its first section: so do its tests."""
    return COMMANDS["sign-out-devices"].section()


def own_device(site: AdminClient) -> str:
    """The device the site registered for this test's browser when it signed in."""
    return str([e for e in site.events() if e["type"] == "login_ok"][-1]["device"])


def device_names(site: AdminClient) -> list[str]:
    return [device["name"] for device in site.account()["devices"]]


def signed_out(site: AdminClient, since: int) -> list[str]:
    return [e["device"] for e in site.events(since) if e["type"] == "device_signed_out"]


def test_signs_out_every_other_device(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    mine = own_device(site)
    assert sorted(device_names(site)) == sorted([*OTHERS, mine])
    since = last_event_id(site)

    report = sign_out_devices(settings_page, steps)

    assert device_names(site) == [mine]
    assert sorted(signed_out(site, since)) == sorted(OTHERS)
    assert sorted(report.changed) == sorted(OTHERS)
    expect(settings_page.get_by_text("1 из 5", exact=True)).to_be_visible()


def test_device_option_signs_out_only_that_one(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    since = last_event_id(site)

    report = sign_out_devices(settings_page, steps, device="iPhone 13")

    assert sorted(device_names(site)) == sorted(["Samsung Smart TV", "Chrome, Windows", own_device(site)])
    assert signed_out(site, since) == ["iPhone 13"]
    assert report.changed == ["iPhone 13"]


@pytest.mark.parametrize("which", ["current", "unknown"])
def test_refuses_a_device_it_cannot_sign_out(
    site: AdminClient, settings_page: Page, steps: StepLog, which: str
) -> None:
    name = own_device(site) if which == "current" else "Apple TV"
    before = device_names(site)
    since = last_event_id(site)

    with pytest.raises(ConfigurationError) as raised:
        sign_out_devices(settings_page, steps, device=name)

    assert raised.value.exit_code == 2
    assert f"«{name}»" in str(raised.value)
    if which == "unknown":
        for other in OTHERS:
            assert f"«{other}»" in str(raised.value)
    assert device_names(site) == before
    assert site.events(since) == []


def test_dry_run_changes_nothing(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    before = site.account()["devices"]
    since = last_event_id(site)

    report = sign_out_devices(settings_page, steps, dry_run=True)

    assert site.account()["devices"] == before
    assert site.events(since) == []
    assert sorted(report.changed) == sorted(OTHERS)
    assert report.outcome == "dry_run"
    expect(settings_page.get_by_role("dialog")).to_have_count(0)


def test_second_run_is_already_done(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    sign_out_devices(settings_page, steps)
    since = last_event_id(site)

    again = sign_out_devices(settings_page, steps)

    assert again.changed == []
    assert again.outcome == "already_done"
    assert site.events(since) == []


def test_slow_stylesheet_does_not_pass_for_nothing_to_do(
    site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    # Until the stylesheet arrives, the loading skeleton has no size and looks gone: a flow
    # that read the section then saw no device and reported "already done".
    site.set_faults(latency_ms=400, latency_path="/static/style.css")

    report = sign_out_devices(settings_page, steps)

    assert sorted(report.changed) == sorted(OTHERS)
    assert device_names(site) == [own_device(site)]
