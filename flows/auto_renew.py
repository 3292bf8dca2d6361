"""`disable-auto-renew`: turn auto-renew off for card-billed subscriptions, declining the
retention offer; store-billed ones are reported with where to cancel them."""

from __future__ import annotations

from dataclasses import asdict

from playwright.sync_api import Page

from automations.errors import ConfigurationError, FlowFailed
from automations.pages import SubscriptionsPage
from automations.steps import StepLog
from flows.guides import store_pointer
from flows.report import ActionReport
from flows.resilience import load

ACTION = "disable-auto-renew"
# The section the flow opens first: a run opens the settings there (see run_flow).
STARTS_ON = SubscriptionsPage
SURVEY_ANSWER = "Другое"
# Retention offer, survey, confirmation; a site that adds one more step still fits.
MAX_DIALOGS = 5


def _walk_dialogs(subscriptions: SubscriptionsPage, dry_run: bool) -> bool:
    """Declines the offer, answers the survey, and confirms (or backs out when dry); True
    unless the site failed the confirmed change."""
    retention, survey, confirm = subscriptions.retention_dialog, subscriptions.survey_dialog, subscriptions.confirm_dialog
    for _ in range(MAX_DIALOGS):
        retention.or_(survey).or_(confirm).first.wait_for()
        if retention.is_visible():
            subscriptions.decline_offer()
            retention.wait_for(state="hidden")
        elif survey.is_visible():
            subscriptions.answer_survey(SURVEY_ANSWER)
            survey.wait_for(state="hidden")
        else:
            if dry_run:
                subscriptions.keep_subscription()
                confirm.wait_for(state="hidden")
                return True
            return subscriptions.confirm_disable()
    raise FlowFailed("Отключить автопродление", "dialog «Вы уверены?»", "the confirmation never came")


def _disable(subscriptions: SubscriptionsPage, name: str) -> bool:
    subscriptions.start_disabling(name)
    if not _walk_dialogs(subscriptions, dry_run=False):
        return False
    # The card's own state, not any toast: an earlier subscription's toast is still up.
    subscriptions.card(name).get_by_text("Автопродление отключено").wait_for()
    return True


def _is_disabled(subscriptions: SubscriptionsPage, name: str) -> bool:
    load(subscriptions, subscriptions.reload)
    return not any(s.auto_renew for s in subscriptions.subscriptions() if s.name == name)


def disable_auto_renew(
    page: Page, steps: StepLog, *, subscription: str | None = None, dry_run: bool = False
) -> ActionReport:
    subscriptions = SubscriptionsPage(page)
    with steps.step("Открыть «Подписки»"):
        load(subscriptions, subscriptions.open_from_menu_unless_shown)
        before = subscriptions.subscriptions()
    chosen = [s for s in before if subscription is None or s.name.casefold() == subscription.strip().casefold()]
    if subscription and not chosen:
        names = ", ".join(f"«{s.name}»" for s in before) or "none"
        raise ConfigurationError(f"no subscription named «{subscription}» (the account has: {names})")
    report = ActionReport(ACTION, dry_run, before={"subscriptions": [asdict(s) for s in before]})
    for sub in chosen:
        if not sub.card_billed:
            report.notes.append(store_pointer(sub) or f"«{sub.name}» is billed through {sub.store}")
    for sub in [s for s in chosen if s.card_billed and s.auto_renew]:
        with steps.step(f"Отключить автопродление «{sub.name}»"):
            subscriptions.start_disabling(sub.name)
            _walk_dialogs(subscriptions, dry_run)
            if not dry_run:
                card = subscriptions.card(sub.name)
                # Not "or any toast": an earlier subscription's toast (shown for 6 s) ended the step at
                # once, and the reload could come before the site had made this change.
                card.get_by_text("Автопродление отключено").wait_for()
        report.changed.append(sub.name)
    with steps.step("Проверить «Подписки» после перезагрузки"):
        load(subscriptions, subscriptions.reload)
        after = subscriptions.subscriptions()
    report.after = {"subscriptions": [asdict(s) for s in after]}
    still_on = [s.name for s in after if s.auto_renew and s.name in report.changed]
    if not dry_run and still_on:
        raise FlowFailed("Проверить «Подписки» после перезагрузки", f"«{still_on[0]}»", "auto-renew is still on after the reload")
    return report
