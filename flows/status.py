"""`status`: what the account has, read from the site's pages; changes nothing."""

from __future__ import annotations

from playwright.sync_api import Page

from automations.models import AccountState
from automations.pages import DevicesPage, PaymentsPage, SubscriptionsPage
from automations.steps import StepLog
from flows.resilience import open_section


def read_state(page: Page, steps: StepLog) -> AccountState:
    subscriptions = open_section(steps, SubscriptionsPage(page), SubscriptionsPage.subscriptions, unless_shown=True)
    cards = open_section(steps, PaymentsPage(page), PaymentsPage.cards)
    devices = open_section(steps, DevicesPage(page), DevicesPage.devices)
    return AccountState(subscriptions=subscriptions, cards=cards, devices=devices)
