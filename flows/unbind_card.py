"""`unbind-card`: unbind every bound card, or the one ending in `card`."""

from __future__ import annotations

from dataclasses import asdict

from playwright.sync_api import Page

from automations.errors import ConfigurationError, FlowFailed
from automations.i18n import _
from automations.observation import observe
from automations.pages import PaymentsPage
from automations.steps import StepLog
from automations.models import ActionReport
from flows.resilience import change_with_read_back, load, open_section, read_after_reload

ACTION = "unbind-card"


def _start_unbinding(payments: PaymentsPage, last4: str) -> None:
    payments.start_unbinding(last4)
    observe("payments.unbind_dialog", payments.unbind_dialog)


def _unbind(payments: PaymentsPage, last4: str) -> bool:
    _start_unbinding(payments, last4)
    if not payments.confirm_unbind():
        return False
    # Gone once the section re-renders after the site's answer.
    payments.card(last4).wait_for(state="detached")
    return True


def _is_unbound(payments: PaymentsPage, last4: str) -> bool:
    load(payments, payments.reload)
    return last4 not in [c.last4 for c in payments.cards()]


def unbind_cards(page: Page, steps: StepLog, *, card: str | None = None, dry_run: bool = False) -> ActionReport:
    payments = PaymentsPage(page)
    before = open_section(steps, payments, PaymentsPage.cards, unless_shown=True)
    targets = [c for c in before if card is None or c.last4 == card.strip()[-4:]]
    if card and not targets:
        bound = ", ".join(c.label for c in before) or _("none")
        raise ConfigurationError(_("no bound card ends in {card} (bound cards: {bound})").format(card=card,
                                                                                               bound=bound))
    report = ActionReport(ACTION, dry_run, before={"cards": [asdict(c) for c in before]})
    for target in targets:
        with steps.step(_("Unbind {card}").format(card=target.label)):
            if dry_run:
                _start_unbinding(payments, target.last4)
                payments.cancel_unbind()
                payments.unbind_dialog.wait_for(state="hidden")
            else:
                change_with_read_back(
                    act=lambda last4=target.last4: _unbind(payments, last4),
                    is_done=lambda last4=target.last4: _is_unbound(payments, last4),
                    what=_("unbinding {card}").format(card=target.label),
                )
        report.changed.append(target.label)
    check, after = read_after_reload(steps, payments, PaymentsPage.cards)
    report.after = {"cards": [asdict(c) for c in after]}
    unbound = {c.last4 for c in targets}
    still_bound = [c.label for c in after if c.last4 in unbound] if not dry_run else []
    if still_bound:
        raise FlowFailed(check, still_bound[0], _("the card is still bound after the reload"))
    return report
