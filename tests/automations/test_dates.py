"""Dates and masked card numbers as the site writes them (automations/dates.py)."""

from __future__ import annotations

from datetime import date

import pytest

from automations.dates import card_last4, iso_date, masked_card_pattern

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "when", "expected"),
    [
        ("Следующее списание 13.12.2026", "future", "2026-12-13"),
        ("Активна до 13 декабря 2026", "future", "2026-12-13"),
        ("Следующее списание 13 декабря", "future", "2026-12-13"),
        # No year, and the day has passed this year: a charge is next year's, a login this year's.
        ("Следующее списание 5 января", "future", "2027-01-05"),
        ("5 января · Смартфон", "past", "2026-01-05"),
        ("13 декабря · Телевизор", "past", "2025-12-13"),
        ("1 декабря · Компьютер", "past", "2026-12-01"),
        ("29 февраля", "future", "2028-02-29"),
        ("Текущее устройство", "past", None),
        ("31.02.2026", "future", None),
    ],
)
def test_dates_with_and_without_a_year(text: str, when: str, expected: str | None) -> None:
    assert iso_date(text, when, TODAY) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("label", ["Visa •••• 4242", "Visa •• 4242", "МИР **** 4242", "Visa *4242", "Visa ··4242"])
def test_a_card_masked_any_way_is_known_by_its_last_four_digits(label: str) -> None:
    assert card_last4(label) == "4242"
    assert masked_card_pattern("4242").search(label)
    assert not masked_card_pattern("424").search(label)


@pytest.mark.parametrize("text", ["Баланс 0 руб", "Номер счёта 1234567", "Оплачено 4242 ₽"])
def test_text_without_a_masked_number_is_no_card(text: str) -> None:
    assert card_last4(text) is None
