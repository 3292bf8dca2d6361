"""`status`: what the account has, read from the site's pages; changes nothing."""

from __future__ import annotations

from playwright.sync_api import Page

from automations.i18n import _
from automations.models import AccountState
from automations.pages import DevicesPage, PaymentsPage, SubscriptionsPage
from automations.steps import StepLog
from flows.resilience import load


def read_state(page: Page, steps: StepLog) -> AccountState:
    subscriptions, payments, devices = SubscriptionsPage(page), PaymentsPage(page), DevicesPage(page)
    with steps.step(_("Open «{section}»").format(section=subscriptions.title)):
        load(subscriptions, subscriptions.open_from_menu_unless_shown)
        subs = subscriptions.subscriptions()
    with steps.step(_("Open «{section}»").format(section=payments.title)):
        load(payments, payments.open_from_menu)
        cards = payments.cards()
    with steps.step(_("Open «{section}»").format(section=devices.title)):
        load(devices, devices.open_from_menu)
        device_list = devices.devices()
    return AccountState(subscriptions=subs, cards=cards, devices=device_list)
