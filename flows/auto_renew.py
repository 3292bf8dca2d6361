"""`disable-auto-renew`: turn auto-renew off for card-billed subscriptions, declining any
retention offer; store-billed ones are reported with where to cancel them.

What follows «Отключить автопродление» on okko.tv is not known, so the cancel path is walked as
a state machine over whatever dialogs appear, in any order and number — none, one combined
dialog, or an offer, a survey and a confirmation: decline an offer, answer a survey «Другое»
(or skip it), press the confirming button. Only buttons the page object's table names are ever
pressed, and it names none that accepts an offer. A dry run backs out at the confirming button,
and while it walks, the page cannot send the site any change at all (`writes_blocked`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict

from playwright.sync_api import ElementHandle, Page, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automations.errors import ConfigurationError, FlowFailed
from automations.i18n import _
from automations.observation import observe
from automations.pages import SubscriptionsPage
from automations.pages.subscriptions import SUBSCRIPTIONS
from automations.steps import StepLog
from automations.guides import store_pointer
from automations.models import ActionReport
from flows.resilience import change_with_read_back, load, open_section, read_after_reload

ACTION = "disable-auto-renew"
# Offer, survey, confirmation, and room for a site that adds more.
MAX_DIALOGS = 6


def walk_cancel_path(subscriptions: SubscriptionsPage, name: str, dry_run: bool) -> bool:
    """From a click on «Отключить автопродление» to the change (or, dry, to backing out):
    True unless the site failed the confirmed change."""
    done = subscriptions.shows_renewal_off(name)
    dialog = subscriptions.cancel_dialog
    for _dialog in range(MAX_DIALOGS):
        dialog.or_(done).first.wait_for()
        if done.is_visible() and not dialog.is_visible():
            return True  # the site changed it without asking
        shown, text = dialog.element_handle(), dialog.inner_text()
        if subscriptions.control("decline_offer").is_visible():
            observe("subscriptions.offer_dialog", dialog)
            subscriptions.control("decline_offer").click()
        else:
            answer = subscriptions.control("survey_answer")
            if answer.is_visible() and not answer.is_checked():
                answer.check()
            if subscriptions.control("confirm").is_visible():
                observe("subscriptions.confirm_dialog", dialog)
                if not dry_run:
                    return subscriptions.confirm_disable()
                subscriptions.control("back_out").click()
                _moved_on(subscriptions.page, shown, text)
                return True
            observe("subscriptions.survey_dialog", dialog)
            if subscriptions.control("survey_next").is_enabled():
                subscriptions.control("survey_next").click()
            else:
                subscriptions.control("survey_skip").click()
        _moved_on(subscriptions.page, shown, text)
    raise FlowFailed(_("Turn auto-renew off"), SUBSCRIPTIONS.find("confirm").describe(),
                     _("{count} dialogs came and none of them had it").format(count=MAX_DIALOGS))


def _moved_on(page: Page, dialog: ElementHandle, text: str) -> None:
    """Waits until the dialog just answered is gone, hidden, or shows its next step in place."""
    page.wait_for_function(
        "([el, text]) => !el.isConnected || !el.checkVisibility() || el.innerText !== text", arg=[dialog, text])


@contextmanager
def writes_blocked(page: Page) -> Iterator[list[str]]:
    """While the block runs, the page's changes never reach the site: a dry run's guarantee
    even where a button turns out to change the account without asking first."""
    blocked: list[str] = []

    def guard(route: Route) -> None:
        if route.request.method in ("GET", "HEAD", "OPTIONS"):
            route.fallback()
        else:
            blocked.append(f"{route.request.method} {route.request.url}")
            route.abort("blockedbyclient")

    page.route("**/*", guard)
    try:
        yield blocked
    finally:
        page.unroute("**/*", guard)


def _disable(subscriptions: SubscriptionsPage, name: str) -> bool:
    subscriptions.start_disabling(name)
    if not walk_cancel_path(subscriptions, name, dry_run=False):
        return False
    # The card's own state, not any toast: an earlier subscription's toast is still up.
    subscriptions.shows_renewal_off(name).wait_for()
    return True


def _is_disabled(subscriptions: SubscriptionsPage, name: str) -> bool:
    load(subscriptions, subscriptions.reload)
    return not any(s.auto_renew for s in subscriptions.subscriptions() if s.name == name)


def _dry_walk(subscriptions: SubscriptionsPage, name: str) -> None:
    with writes_blocked(subscriptions.page) as blocked:
        subscriptions.start_disabling(name)
        try:
            walk_cancel_path(subscriptions, name, dry_run=True)
        except (FlowFailed, PlaywrightTimeoutError):
            if blocked:
                raise FlowFailed(_("Turn auto-renew off"), _("a confirmation dialog"),
                                 _("the button changes the account without asking first; the dry run blocked it "
                                   "(nothing was changed)")) from None
            raise


def disable_auto_renew(
    page: Page, steps: StepLog, *, subscription: str | None = None, dry_run: bool = False
) -> ActionReport:
    subscriptions = SubscriptionsPage(page)
    before = open_section(steps, subscriptions, SubscriptionsPage.subscriptions, unless_shown=True)
    chosen = [s for s in before if subscription is None or s.name.casefold() == subscription.strip().casefold()]
    if subscription and not chosen:
        names = ", ".join(f"«{s.name}»" for s in before) or _("none")
        raise ConfigurationError(_("no subscription named «{name}» (the account has: {names})").format(
            name=subscription, names=names))
    report = ActionReport(ACTION, dry_run, before={"subscriptions": [asdict(s) for s in before]})
    for sub in chosen:
        if not sub.card_billed:
            report.notes.append(store_pointer(sub) or _("«{name}» is billed through {store}").format(
                name=sub.name, store=sub.store))
    for sub in [s for s in chosen if s.card_billed and s.auto_renew]:
        with steps.step(_("Turn auto-renew off for «{subscription}»").format(subscription=sub.name)):
            if dry_run:
                _dry_walk(subscriptions, sub.name)
            else:
                change_with_read_back(act=lambda name=sub.name: _disable(subscriptions, name),
                                      is_done=lambda name=sub.name: _is_disabled(subscriptions, name),
                                      what=_("turning auto-renew off for «{name}»").format(name=sub.name))
        report.changed.append(sub.name)
    check, after = read_after_reload(steps, subscriptions, SubscriptionsPage.subscriptions)
    report.after = {"subscriptions": [asdict(s) for s in after]}
    still_on = [s.name for s in after if s.auto_renew and s.name in report.changed]
    if not dry_run and still_on:
        raise FlowFailed(check, f"«{still_on[0]}»", _("auto-renew is still on after the reload"))
    return report
