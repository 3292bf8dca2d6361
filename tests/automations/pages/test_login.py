"""The login page object against the mock's okko.tv login, in a real browser.

Covered: «Продолжить» tells whether the site takes what was typed for an e-mail or a phone,
and a page too slow to be clicked within the wait (a starved CPU, as a batch's many browsers
on few cores make it) does not turn a valid e-mail into one the site refuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page

from automations.pages.login import LoginPage
from fixtures import DEMO_EMAIL

pytestmark = pytest.mark.variant("okko")


@contextmanager
def starved_cpu(page: Page, rate: int = 60) -> Iterator[None]:
    """Chromium's own CPU throttling (DevTools' Emulation.setCPUThrottlingRate), for the block only."""
    cpu = page.context.new_cdp_session(page)
    cpu.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    try:
        yield
    finally:
        cpu.send("Emulation.setCPUThrottlingRate", {"rate": 1})


@pytest.fixture
def login(site: object, consented_page: Page) -> LoginPage:
    page = LoginPage(consented_page)
    page.open()
    return page


@pytest.mark.parametrize(("typed", "taken"), [(DEMO_EMAIL, True), ("+7 999", False), ("not an address", False)])
def test_continue_tells_whether_the_site_takes_the_login(login: LoginPage, typed: str, taken: bool) -> None:
    login.login_input.fill(typed)

    assert login.takes_login() is taken


def test_a_page_too_slow_to_click_within_the_wait_still_takes_a_valid_login(login: LoginPage) -> None:
    login.login_input.fill(DEMO_EMAIL)

    with starved_cpu(login.page):
        taken = login.takes_login()

    assert taken is True
