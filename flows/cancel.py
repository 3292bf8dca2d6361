"""`cancel`: the whole job, in the order that leaves nothing half-done: stop renewals first
(while a card still pays for nothing new), then unbind the cards, then sign out devices."""

from __future__ import annotations

from playwright.sync_api import Page

from automations.steps import StepLog
from flows.auto_renew import disable_auto_renew
from flows.devices import sign_out_devices
from flows.status import read_state
from automations.models import ActionReport
from flows.unbind_card import unbind_cards

ACTION = "cancel"


def cancel_everything(page: Page, steps: StepLog, *, dry_run: bool = False) -> ActionReport:
    parts = [
        disable_auto_renew(page, steps, dry_run=dry_run),
        unbind_cards(page, steps, dry_run=dry_run),
        sign_out_devices(page, steps, dry_run=dry_run),
    ]
    report = ActionReport(ACTION, dry_run)
    for part in parts:
        report.changed.extend(f"{part.action}: {item}" for item in part.changed)
        report.before.update(part.before)
        report.after.update(part.after)
        report.notes.extend(part.notes)
    return report


def cancel_then_read_state(page: Page, steps: StepLog) -> ActionReport:
    """`demo`: the whole job, then the account as `status` would show it, in `after["state"]`."""
    report = cancel_everything(page, steps)
    report.after["state"] = read_state(page, steps).to_dict()
    return report
