"""Helpers for the tests of the mock site's `okko` layout (code-only login, dates without a year)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import APIRequestContext, Locator, Page

from fixtures import AdminClient

MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")
WRONG_CODE = "Неверный код"
LOCKED = "Слишком много попыток входа. Попробуйте позже."


def day_month(iso: str) -> str:
    """«13 декабря»: how the `okko` layout writes a date without its year."""
    day = date.fromisoformat(iso)
    return f"{day.day} {MONTHS[day.month - 1]}"


def day_month_year(iso: str) -> str:
    return f"{day_month(iso)} {date.fromisoformat(iso).year}"


def other_code(code: str) -> str:
    """A six-digit code that is not `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


def sign_in_by_code(request: APIRequestContext, site: AdminClient, login: str) -> None:
    """Signs in through the site's own API as the `okko` login does: ask for a code, read it
    from the outbox, send it back. Shares the browser context's cookies."""
    start = request.post("/api/v1/auth/start", data={"login": login})
    assert start.ok, start.text()
    response = request.post("/api/v1/auth/login", data={"login": login, "code": site.last_code(login)})
    assert response.ok, response.text()


def sliding_panel(page: Page) -> Locator:
    return page.locator('[test-id="sliding_panel"]')


def code_field(page: Page) -> Locator:
    """Step two's only field: it has no label, so a person finds it as the one-time-code box."""
    return sliding_panel(page).locator('input[autocomplete="one-time-code"]')


def header(page: Page) -> Locator:
    return page.get_by_role("banner")
