"""`refund-check`: does OKKO owe a refund? Reads the subscriptions, the payment history and
the account's contacts from the site, and applies OKKO's rule (automations/refund_rule.py)."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page

from automations.evidence import write_receipt
from automations.home import DataHome
from automations.pages import PaymentsPage, ProfilePage, SubscriptionsPage
from automations.refund_rule import ACTION, DEFAULT_WINDOW_DAYS, RefundCheck, assess_subscription, hotline
from automations.steps import StepLog
from flows.resilience import open_section


def check_refund(page: Page, steps: StepLog, *, today: date | None = None,
                 window_days: int = DEFAULT_WINDOW_DAYS, home: DataHome | None = None) -> RefundCheck:
    """Reads «Профиль», «Подписки» and «Оплата услуг» (changing nothing), applies the rule,
    and, given `home`, writes a receipt with a screenshot of the payment history."""
    today = today or date.today()
    account = open_section(steps, ProfilePage(page), ProfilePage.contacts, unless_shown=True)
    subs = open_section(steps, SubscriptionsPage(page), SubscriptionsPage.subscriptions)
    payments = open_section(steps, PaymentsPage(page), PaymentsPage.payments)
    results = [assess_subscription(s, payments, today, window_days) for s in subs]
    named = {id(p) for r in results for p in ([r.payment] if r.payment else []) + r.past_payments}
    report = RefundCheck(
        today=today.isoformat(), window_days=window_days, account=account, subscriptions=results,
        other_payments=[p for p in payments if id(p) not in named], hotline=hotline(account, results),
    )
    if home is not None:
        document = report.to_dict()
        del document["action"], document["receipt"]
        document["site"] = _origin(page.url)
        document["steps"] = steps.to_list()
        report.receipt = str(write_receipt(home, ACTION, document, page))
    return report


def _origin(url: str) -> str:
    match = re.match(r"^[a-z]+://[^/]+", url)
    return match.group(0) if match else url
