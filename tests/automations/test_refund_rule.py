"""OKKO's refund rule (automations/refund_rule.py) as pure functions of dates: a refund only
when the paid period has just begun (at most `window_days` days ago, 3 by default) or has
not begun yet; never for a past month. Table-driven over the edge days, plus the month
arithmetic that finds the period from the next charge, the verdict for one subscription with
the payments it rests on, and what to say on the hotline. No browser.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from automations.models import Subscription
from automations.refund_rule import (
    DEFAULT_WINDOW_DAYS,
    JUST_BEGUN,
    NO_PERIOD,
    NOT_BEGUN,
    PAST_PERIOD,
    STORE_BILLED,
    TOO_LATE,
    add_months,
    assess_subscription,
    hotline_script,
    period_of,
    refund_rule,
)

TODAY = date(2025, 6, 15)


def test_default_window_is_three_days() -> None:
    assert DEFAULT_WINDOW_DAYS == 3


@pytest.mark.parametrize(
    ("days_since_start", "eligible", "reason"),
    [
        (-10, True, NOT_BEGUN),
        (-1, True, NOT_BEGUN),  # begins tomorrow
        (0, True, JUST_BEGUN),  # begins today
        (1, True, JUST_BEGUN),
        (2, True, JUST_BEGUN),
        (3, True, JUST_BEGUN),  # the last day that counts as just begun
        (4, False, TOO_LATE),
        (20, False, TOO_LATE),
    ],
)
def test_edge_days_with_the_default_window(days_since_start: int, eligible: bool, reason: str) -> None:
    start = TODAY - timedelta(days=days_since_start)

    verdict = refund_rule(start, TODAY, period_end=add_months(start, 1))

    assert (verdict.eligible, verdict.reason, verdict.days_elapsed) == (eligible, reason, days_since_start)


@pytest.mark.parametrize(
    ("window", "days_since_start", "eligible"),
    [(0, 0, True), (0, 1, False), (1, 1, True), (1, 2, False), (7, 7, True), (7, 8, False)],
)
def test_the_window_is_a_setting(window: int, days_since_start: int, eligible: bool) -> None:
    verdict = refund_rule(TODAY - timedelta(days=days_since_start), TODAY, window_days=window)

    assert verdict.eligible is eligible


@pytest.mark.parametrize("window", [3, 31])
def test_a_past_month_is_never_refunded(window: int) -> None:
    start, end = date(2025, 5, 10), date(2025, 6, 10)

    verdict = refund_rule(start, TODAY, period_end=end, window_days=window)

    assert (verdict.eligible, verdict.reason) == (False, PAST_PERIOD)
    assert "never refunded" in verdict.explain()


def test_the_period_is_over_on_its_end_day() -> None:
    assert refund_rule(date(2025, 5, 15), TODAY, period_end=TODAY, window_days=31).reason == PAST_PERIOD


def test_a_negative_window_is_refused() -> None:
    with pytest.raises(ValueError):
        refund_rule(TODAY, TODAY, window_days=-1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 7, 1), -1, date(2025, 6, 1)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),  # across a year
        (date(2025, 3, 31), -1, date(2025, 2, 28)),  # clamped to the month's end
        (date(2024, 3, 30), -1, date(2024, 2, 29)),  # leap year
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_the_period_began_a_month_before_the_next_charge() -> None:
    assert period_of(date(2025, 7, 14)) == (date(2025, 6, 14), date(2025, 7, 14))


# ------------------------------------------------------------------- one subscription


def card_sub(name: str, next_charge: date | None, *, auto_renew: bool = True) -> Subscription:
    day = next_charge.isoformat() if next_charge else None
    return Subscription(name=name, price="399 ₽/мес", auto_renew=auto_renew, next_charge=day if auto_renew else None,
                        active_until=day, billed="Оплата картой Visa •••• 4242")


def payment(day: date, name: str = "Оптимум", amount: int = 399) -> dict[str, str]:
    return {"date": day.isoformat(), "description": f"Подписка «{name}» · Visa •••• 4242", "amount": f"{amount} ₽",
            "status": "Оплачено"}


HISTORY = [
    payment(date(2025, 6, 13)),
    payment(date(2025, 6, 10), "Оптимум + Амедиатека", 699),
    payment(date(2025, 5, 13)),
    payment(date(2025, 4, 13), amount=1),
]


def test_just_begun_rests_on_this_periods_payment_and_lists_the_past_ones() -> None:
    result = assess_subscription(card_sub("Оптимум", date(2025, 7, 13)), HISTORY, TODAY)

    assert (result.eligible, result.reason, result.days_elapsed) == (True, JUST_BEGUN, 2)
    assert (result.period_start, result.period_end) == ("2025-06-13", "2025-07-13")
    assert result.payment == HISTORY[0]
    # «Оптимум + Амедиатека» is another subscription, not a payment for «Оптимум».
    assert result.past_payments == [HISTORY[2], HISTORY[3]]


def test_under_way_is_not_refunded() -> None:
    result = assess_subscription(card_sub("Оптимум", date(2025, 7, 8)), HISTORY, TODAY)

    assert (result.eligible, result.reason) == (False, TOO_LATE)
    assert result.payment == HISTORY[0]  # the latest payment since the period began


def test_auto_renew_off_uses_active_until() -> None:
    result = assess_subscription(card_sub("Оптимум", date(2025, 7, 14), auto_renew=False), HISTORY, TODAY)

    assert (result.eligible, result.period_start) == (True, "2025-06-14")


def test_no_payment_for_the_period_means_nothing_to_refund() -> None:
    result = assess_subscription(card_sub("Оптимум", date(2025, 7, 14)), HISTORY[2:], TODAY)

    assert (result.eligible, result.reason, result.payment) == (False, JUST_BEGUN, None)
    assert "no payment for this period" in result.explanation


def test_store_billed_is_asked_of_the_store_with_its_guide() -> None:
    premium = Subscription(name="Премиум", price="599 ₽/мес", auto_renew=True, next_charge="2025-06-16",
                           active_until="2025-06-16", billed="Оплата через App Store", store="App Store",
                           manage_hint="Управляйте подпиской в настройках App Store")

    result = assess_subscription(premium, HISTORY, TODAY)

    assert (result.eligible, result.reason, result.guide) == (False, STORE_BILLED, "okko-cancel guide ios")
    assert "App Store" in result.explanation


def test_no_dates_no_verdict() -> None:
    result = assess_subscription(card_sub("Оптимум", None), HISTORY, TODAY)

    assert (result.eligible, result.reason) == (False, NO_PERIOD)


def test_hotline_script_asks_for_the_refund_with_the_payment() -> None:
    account = {"email": "demo@okko.test", "phone": "+7 999 123-45-67"}
    due = assess_subscription(card_sub("Оптимум", date(2025, 7, 13)), HISTORY, TODAY)
    late = assess_subscription(card_sub("Оптимум + Амедиатека", date(2025, 7, 10), auto_renew=False), HISTORY, TODAY)

    script = hotline_script(account, [due, late])

    assert script.startswith("Здравствуйте! Мой аккаунт Okko: demo@okko.test, телефон +7 999 123-45-67.")
    assert "Прошу вернуть 399 ₽ за подписку «Оптимум», списанные 13.06.2025" in script
    assert "начался 13.06.2025 (2 дня назад)" in script
    assert "отключить автопродление подписки «Оптимум»" in script
    assert "вернуть 699" not in script and "«Оптимум + Амедиатека»" not in script


def test_hotline_script_with_nothing_due() -> None:
    late = assess_subscription(card_sub("Оптимум", date(2025, 7, 1), auto_renew=False), HISTORY, TODAY)

    script = hotline_script({"email": "a@b.c", "phone": ""}, [late])

    assert "вернуть" not in script and "новых списаний не будет" in script


def test_hotline_script_without_a_refund_asks_to_stop_auto_renew() -> None:
    late = assess_subscription(card_sub("Оптимум", date(2025, 7, 1)), HISTORY, TODAY)

    script = hotline_script({"email": "a@b.c", "phone": "+7 900 000-00-00"}, [late])

    assert script.endswith("Прошу отключить автопродление подписки «Оптимум».")
