"""Every personal datum the mock site's scenarios hold (fixtures/scenarios/), and where one
shows in a text: what the redaction tests look for in captures, baselines and reports."""

from __future__ import annotations

import re
from functools import cache

from fixtures.commands import MOCK_SCENARIOS
from fixtures.mock_site.scenarios import expand_scenario

# The name the mock gives the browser the tests log in with: a device of every account.
LOGGED_IN_DEVICE = "Chrome, Linux"


@cache
def personal_data() -> dict[str, re.Pattern[str]]:
    """Each datum (as a person would read it) and how to find it in any spelling: a card's
    last four digits as a number of their own, a phone with or without its separators."""
    found: dict[str, re.Pattern[str]] = {LOGGED_IN_DEVICE: re.compile(re.escape(LOGGED_IN_DEVICE))}
    for scenario in MOCK_SCENARIOS:
        for seed in expand_scenario(scenario):
            found[seed["email"]] = re.compile(re.escape(seed["email"]), re.IGNORECASE)
            digits = re.sub(r"\D", "", seed["phone"])
            found[seed["phone"]] = re.compile(r"[\s()+-]*".join(digits[1:]))  # +7 999 …, 8 999 …, 79991234567
            for card in seed["cards"]:
                found[f"card {card['last4']}"] = re.compile(rf"(?<!\d){card['last4']}(?!\d)")
            for device in seed["devices"]:
                found[device["name"]] = re.compile(re.escape(device["name"]))
    return found


def leaks(text: str) -> list[str]:
    """The personal data found in `text`."""
    return [datum for datum, pattern in personal_data().items() if pattern.search(text)]
