"""OKKO's refund rule, for `refund-check` (flows/refund.py reads what it rests on from the site):

    a refund only when the paid period has just begun (at most `window_days` days ago,
    3 by default: OKKO_REFUND_WINDOW_DAYS) or has not begun yet; never for a past month.

The rule is a pure function of dates (`refund_rule`), testable without a browser. The site
shows «Следующее списание DD.MM.YYYY» (or «Активна до» once auto-renew is off) and bills
monthly, so the current period began one month before that day (`period_of`). A payment in
the history belongs to the current period when it is no older than the period's start less
`PAYMENT_SLACK_DAYS` (a charge may come a little early); older ones paid past months.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from automations.guides import HOTLINE, store_guide_command
from automations.i18n import _, ngettext
from automations.models import Subscription

ACTION = "refund-check"
DEFAULT_WINDOW_DAYS = 3
PAYMENT_SLACK_DAYS = 7
PAID = "Оплачено"

# Why a subscription's current period is (not) refundable.
NOT_BEGUN = "not_begun"
JUST_BEGUN = "just_begun"
TOO_LATE = "too_late"
PAST_PERIOD = "past_period"
STORE_BILLED = "store_billed"
NO_PERIOD = "no_period"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day:
    31.03 − 1 month = 28.02 (29.02 in a leap year)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_of(end: date) -> tuple[date, date]:
    """The monthly period that ends (is next charged) on `end`: (start, end)."""
    return add_months(end, -1), end


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reason: str
    period_start: date
    period_end: date | None
    days_elapsed: int
    window_days: int

    def explain(self) -> str:
        start = self.period_start.strftime("%d.%m.%Y")
        if self.reason == NOT_BEGUN:
            return _("the paid period has not begun yet (it begins {start}): a refund is due").format(start=start)
        if self.reason == JUST_BEGUN:
            return _("the paid period began {start}, {ago} (at most {window} ago counts as just begun): a refund is "
                     "due").format(start=start, ago=_ago(self.days_elapsed), window=_days(self.window_days))
        if self.reason == PAST_PERIOD:
            return _("the paid period ({start} – {end}) is over: a past month is never refunded").format(
                start=start, end=ddmmyyyy(self.period_end))
        return _("the paid period began {start}, {ago} (more than {window}): no refund for a period already under "
                 "way").format(start=start, ago=_ago(self.days_elapsed), window=_days(self.window_days))


def refund_rule(period_start: date, today: date, *, period_end: date | None = None,
                window_days: int = DEFAULT_WINDOW_DAYS) -> Verdict:
    """OKKO's rule: refundable when the period begins after today or began at most
    `window_days` days ago (0 = only on its first day); never once the period is over."""
    if window_days < 0:
        raise ValueError("window_days must be 0 or more")
    elapsed = (today - period_start).days
    if elapsed < 0:
        return Verdict(True, NOT_BEGUN, period_start, period_end, elapsed, window_days)
    if period_end is not None and today >= period_end:
        return Verdict(False, PAST_PERIOD, period_start, period_end, elapsed, window_days)
    if elapsed <= window_days:
        return Verdict(True, JUST_BEGUN, period_start, period_end, elapsed, window_days)
    return Verdict(False, TOO_LATE, period_start, period_end, elapsed, window_days)


def _days(n: int) -> str:
    return ngettext("{n} day", "{n} days", n).format(n=n)


def _ago(n: int) -> str:
    return _("today") if n == 0 else _("{days} ago").format(days=_days(n))


def _ago_ru(n: int) -> str:
    if n == 0:
        return "сегодня"
    if n == 1:
        return "вчера"
    if n % 10 == 1 and n % 100 != 11:
        word = "день"
    elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        word = "дня"
    else:
        word = "дней"
    return f"{n} {word} назад"


def ddmmyyyy(day: date | str | None) -> str:
    if day is None:
        return "—"
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return value.strftime("%d.%m.%Y")


def payments_for(name: str, payments: list[dict[str, str]]) -> list[dict[str, str]]:
    """The payments whose description names the subscription: «Оптимум» but not
    «Оптимум + Амедиатека»."""
    return [p for p in payments if f"«{name}»" in p.get("description", "")]


def _amount_rub(payment: dict[str, str]) -> int | None:
    digits = re.sub(r"\D", "", payment.get("amount", ""))
    return int(digits) if digits else None


@dataclass
class SubscriptionRefund:
    name: str
    price: str
    store: str | None
    auto_renew: bool
    eligible: bool
    reason: str
    explanation: str
    period_start: str | None = None
    period_end: str | None = None
    days_elapsed: int | None = None
    payment: dict[str, str] | None = None
    past_payments: list[dict[str, str]] = field(default_factory=list)
    guide: str | None = None


@dataclass
class RefundCheck:
    today: str
    window_days: int
    account: dict[str, str]
    subscriptions: list[SubscriptionRefund]
    other_payments: list[dict[str, str]]
    hotline: dict[str, Any]
    action: str = ACTION
    receipt: str | None = None

    @property
    def eligible(self) -> bool:
        return any(s.eligible for s in self.subscriptions)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "eligible": self.eligible,
                "rule": _("a refund only when the paid period has just begun (at most {window} ago) or has not "
                          "begun yet; never for a past month").format(window=_days(self.window_days))}


def assess_subscription(sub: Subscription, payments: list[dict[str, str]], today: date,
                        window_days: int = DEFAULT_WINDOW_DAYS) -> SubscriptionRefund:
    """One subscription's verdict, with the payments it rests on. Pure: no browser."""
    mine = [p for p in payments_for(sub.name, payments) if p.get("date")]
    base = {"name": sub.name, "price": sub.price, "store": sub.store, "auto_renew": sub.auto_renew}
    if not sub.card_billed:
        command = store_guide_command(sub)
        explanation = (_("billed through {store}: OKKO does not take this payment, so a refund is asked of {store} "
                         "(see `{command}`)") if command
                       else _("billed through {store}: OKKO does not take this payment, so a refund is asked of "
                              "{store} (see the store)"))
        return SubscriptionRefund(
            **base, eligible=False, reason=STORE_BILLED, guide=command,
            explanation=explanation.format(store=sub.store, command=command),
        )
    end_text = sub.next_charge or sub.active_until
    if not end_text:
        return SubscriptionRefund(**base, eligible=False, reason=NO_PERIOD, past_payments=mine,
                                  explanation=_("the site shows no paid period for it"))
    start, end = period_of(date.fromisoformat(end_text))
    verdict = refund_rule(start, today, period_end=end, window_days=window_days)
    earliest = date.fromordinal(start.toordinal() - PAYMENT_SLACK_DAYS)
    current = [p for p in mine if earliest <= date.fromisoformat(p["date"]) <= today and p.get("status", PAID) == PAID]
    payment = max(current, key=lambda p: p["date"]) if current else None
    past = [p for p in mine if p is not payment]
    explanation = verdict.explain()
    if payment is None:
        explanation = _("{explanation}; the history shows no payment for this period").format(explanation=explanation)
    return SubscriptionRefund(
        **base, eligible=verdict.eligible and payment is not None, reason=verdict.reason, explanation=explanation,
        period_start=start.isoformat(), period_end=end.isoformat(), days_elapsed=verdict.days_elapsed,
        payment=payment, past_payments=past,
    )


def hotline_script(account: dict[str, str], results: list[SubscriptionRefund]) -> str:
    """What to say on the hotline, in Russian."""
    who = f"Здравствуйте! Мой аккаунт Okko: {account.get('email') or '—'}, телефон {account.get('phone') or '—'}."
    parts = [who]
    for r in results:
        if r.reason == STORE_BILLED:
            continue
        if r.eligible and r.payment:
            began = ("ещё не начался" if r.reason == NOT_BEGUN
                     else f"начался {ddmmyyyy(r.period_start)} ({_ago_ru(r.days_elapsed or 0)})")
            parts.append(
                f"Прошу вернуть {_amount_rub(r.payment) or r.payment.get('amount')} ₽ за подписку «{r.name}», "
                f"списанные {ddmmyyyy(r.payment['date'])}: оплаченный период {began}, подпиской в нём я не пользуюсь."
            )
        if r.auto_renew:
            also = " также" if len(parts) > 1 else ""
            parts.append(f"Прошу{also} отключить автопродление подписки «{r.name}».")
    if len(parts) == 1:
        parts.append("Прошу подтвердить, что автопродление моих подписок отключено и новых списаний не будет.")
    return " ".join(parts)


def hotline(account: dict[str, str], results: list[SubscriptionRefund]) -> dict[str, Any]:
    return {
        "phone": HOTLINE,
        "hours": _("around the clock"),
        "have_ready": [_("the devices the account is used on"), _("the e-mail used at sign-up and payment"),
                       _("the phone number"), _("the subscription type")],
        "say": hotline_script(account, results),
    }
