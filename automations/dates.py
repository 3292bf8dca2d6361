"""Dates and card numbers as the site writes them.

okko.tv writes dates as «13.12.2026», «13 декабря 2026», or with no year at all: «13 декабря»
(devices, and our `okko` layout's subscriptions). A date without a year is the next such day
when it is a charge to come, and the last such day when it is a login that has happened.
Card numbers are masked in any of the common ways: «•••• 4242», «•• 4242», «**** 4242», «*4242».
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")
DATE = r"(\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\s+(?:" + "|".join(MONTHS) + r")(?:\s+\d{4})?)"
DATE_RE = re.compile(DATE)
# A masked card number: a run of mask characters, an optional space, the last four digits.
MASKED_CARD = re.compile(r"[•*·∙●xX]{1,4}\s?(\d{4})(?!\d)")

When = Literal["future", "past"]


def parse_date(text: str | None, when: When, today: date | None = None) -> date | None:
    """The date in `text`, or None. Without a year: the next such day ("future", a charge) or
    the last one ("past", a login), counted from `today`."""
    if not text:
        return None
    match = DATE_RE.search(text)
    if match is None:
        return None
    found = match.group(1)
    if "." in found:
        day, month, year = (int(part) for part in found.split("."))
        return _date(year, month, day)
    words = found.split()
    day, month = int(words[0]), MONTHS.index(words[1]) + 1
    if len(words) == 3:
        return _date(int(words[2]), month, day)
    today = today or date.today()
    # The nearest year with that day on the right side of today (29 февраля may be years away).
    years = range(today.year, today.year + 5) if when == "future" else range(today.year, today.year - 5, -1)
    for year in years:
        found_date = _date(year, month, day)
        if found_date is not None and (found_date >= today if when == "future" else found_date <= today):
            return found_date
    return None


def iso_date(text: str | None, when: When = "future", today: date | None = None) -> str | None:
    found = parse_date(text, when, today)
    return found.isoformat() if found else None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None  # 29 февраля in a year without it, or a typo on the page


def card_last4(text: str) -> str | None:
    """The last four digits of the masked card number in `text`, or None."""
    match = MASKED_CARD.search(text)
    return match.group(1) if match else None


def masked_card_pattern(last4: str) -> re.Pattern[str]:
    """Matches a card ending in `last4`, however the site masks the rest."""
    return re.compile(r"[•*·∙●xX]{1,4}\s?" + re.escape(last4) + r"(?!\d)")
