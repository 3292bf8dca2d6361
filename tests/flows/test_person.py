"""A person where a script cannot go. Сбер ID, the anti-bot page and an SMS code with no way to
ask for it stop a headless run with exit 5 and name the one command that finishes them; a
headed run tells the person what to do, waits until the site shows them signed in, saves the
session and goes on. The person here is the test itself, driving the very window the command
waits on through Chromium's DevTools port, as a person would with mouse and keyboard.
"""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest
from playwright.sync_api import Browser, Page, Playwright
from pydantic import SecretStr

from automations.browser import launch_args, locate_browser
from automations.credentials import Credentials
from automations.driver import current_loan
from automations.settings import Settings, load_settings
from fixtures import AdminClient, MockSite
from flows import registry
from flows.runner import run_flow, verify_login
from flows.status import read_state
from tests.commands import COMMANDS
from tests.helpers import cli_env, error_line, events_of, run

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

T = TypeVar("T")
SBER_LOGIN = "sber@okko.test"
SBER_PHONE = "+7 999 555-44-33"
FINISH = "okko-cancel login --headed"
STARTS_ON = registry.COMMANDS["status"].section()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Window:
    """A browser in the command thread that the test can also reach, as a person reaches a window."""

    port: int
    browser: Browser
    notices: list[str] = field(default_factory=list)
    asked: threading.Event = field(default_factory=threading.Event)

    def tell(self, message: str) -> None:
        self.notices.append(message)
        if "A person is needed" in message:
            self.asked.set()


@pytest.fixture
def window() -> Iterator[Window]:
    port = free_port()

    def launch() -> Browser:
        loan = current_loan()
        assert loan is not None
        choice = locate_browser(headless=True)
        return loan.playwright.chromium.launch(
            executable_path=str(choice.executable) if choice.executable else None,
            args=[*launch_args(), f"--remote-debugging-port={port}"],
        )

    browser = COMMANDS.run(launch)
    yield Window(port, browser)
    COMMANDS.run(browser.close)


def with_person(window: Window, playwright: Playwright, command: Callable[[], T],
                acts: Callable[[Page], None], where: str) -> T:
    """Runs `command` in the command thread; when it asks for a person, finds its page at
    `where` (part of the address) through the DevTools port and does `acts` there."""
    future: Future[T] = COMMANDS.submit(command)
    while not window.asked.wait(0.05):
        if future.done():
            return future.result()  # it ended without asking: let its error show
    seen = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{window.port}")
    try:
        page = next(p for c in seen.contexts for p in c.pages if where in p.url)
        acts(page)
        return future.result(timeout=60)
    finally:
        seen.close()


@pytest.fixture
def headed(mock_site: MockSite, tmp_path: Path) -> Settings:
    """A run with a window: someone is there to finish what a script cannot."""
    return load_settings(base_url=mock_site.url, data_dir=tmp_path / "data", timeout_s=10, headless=False,
                         person_wait_s=60)


def pass_sber_id(site: AdminClient) -> Callable[[Page], None]:
    def acts(page: Page) -> None:
        page.get_by_role("button", name="Войти через Сбер ID").click()
        page.get_by_label("Номер телефона").fill(SBER_PHONE)
        page.get_by_role("button", name="Получить код").click()
        page.get_by_label("Код из СМС").fill(site.last_code(SBER_PHONE))
        page.get_by_role("button", name="Войти", exact=True).click()
    return acts


# ---------------------------------------------------------------- headless: exit 5


@pytest.mark.scenario("sber-id")
def test_sber_id_stops_a_headless_run_naming_the_command_that_finishes_it(
    site: AdminClient, mock_site: MockSite, data_dir: Path
) -> None:
    result = run(["status"], cli_env(data_dir, mock_site.url, OKKO_LOGIN=SBER_LOGIN, OKKO_PASSWORD=""))

    assert result.exit_code == 5, result.output
    line = error_line(result)
    assert "Сбер ID" in line and FINISH in line
    assert events_of(site, "login_ok") == []


def test_the_anti_bot_page_stops_a_headless_run(site: AdminClient, mock_site: MockSite, data_dir: Path) -> None:
    site.set_faults(captcha=True)

    result = run(["status"], cli_env(data_dir, mock_site.url, OKKO_LOGIN="demo@okko.test", OKKO_PASSWORD=""))

    assert result.exit_code == 5, result.output
    line = error_line(result)
    assert "anti-bot" in line and FINISH in line
    assert events_of(site, "login_ok") == []


def test_an_sms_code_with_no_way_to_ask_for_it_stops_a_headless_run(
    site: AdminClient, mock_site: MockSite, data_dir: Path
) -> None:
    env = cli_env(data_dir, mock_site.url, OKKO_LOGIN="+7 999 123-45-67", OKKO_PASSWORD="", OKKO_CODE_COMMAND=None)

    result = run(["status"], env)

    assert result.exit_code == 5, result.output
    line = error_line(result)
    assert "SMS" in line and FINISH in line and "--code-command" in line
    assert [m["kind"] for m in site.outbox()] == ["sms"]


# ---------------------------------------------------------------- headed: a person finishes it


@pytest.mark.scenario("sber-id")
def test_a_person_passes_sber_id_in_the_window_and_the_session_is_saved(
    site: AdminClient, window: Window, playwright: Playwright, headed: Settings
) -> None:
    credentials = Credentials(SBER_LOGIN, SecretStr(""))

    with_person(window, playwright,
                lambda: verify_login(headed, credentials, browser=window.browser, on_notice=window.tell),
                pass_sber_id(site), "/login")

    assert "Сбер ID" in window.notices[0]
    assert [e["method"] for e in events_of(site, "login_ok")] == ["sber_id"]
    # The saved session serves the next, headless run: no second login.
    later = headed.model_copy(update={"headless": True})
    result = COMMANDS.run(lambda: run_flow(later, "status", read_state, credentials=credentials, start_on=STARTS_ON,
                                           keep_receipt=False))
    assert not result.fresh_login and len(events_of(site, "login_ok")) == 1
    assert [c.last4 for c in result.value.cards] == [c["label"][-4:] for c in site.account(SBER_LOGIN)["cards"]]


def test_a_person_types_the_sms_code_in_the_window_and_the_run_goes_on(
    site: AdminClient, window: Window, playwright: Playwright, headed: Settings
) -> None:
    credentials = Credentials("+7 999 123-45-67", SecretStr(""))

    def types_code(page: Page) -> None:
        page.locator('[test-id="sliding_panel"]').get_by_role("textbox").fill(site.last_code("+7 999 123-45-67"))

    result = with_person(
        window, playwright,
        lambda: run_flow(headed, "status", read_state, credentials=credentials, start_on=STARTS_ON,
                         browser=window.browser, on_notice=window.tell, keep_receipt=False),
        types_code, "/login")

    assert "SMS" in window.notices[0]
    assert result.fresh_login and [s.name for s in result.value.subscriptions] == ["Оптимум"]
    assert (Path(headed.data_dir) / "session.json").exists()


def test_a_person_passes_the_anti_bot_page_and_the_script_logs_in_after_it(
    site: AdminClient, window: Window, playwright: Playwright, headed: Settings,
    outbox_codes: Callable[[str], str],
) -> None:
    site.set_faults(captcha=True)
    credentials = Credentials("demo@okko.test", SecretStr(""))

    def solves(page: Page) -> None:
        # Reads the characters off the picture, as a person does (fetched by the page, with its cookie).
        picture = page.evaluate("fetch('/xpvnsulc/captcha.svg').then(answer => answer.text())")
        answer = "".join(node.text or "" for node in ET.fromstring(picture).iter("{http://www.w3.org/2000/svg}text"))
        page.get_by_label("Символы с картинки").fill(answer)
        page.get_by_role("button", name="Проверить").click()

    result = with_person(
        window, playwright,
        lambda: run_flow(headed, "status", read_state, credentials=credentials, start_on=STARTS_ON,
                         code_provider=outbox_codes, browser=window.browser, on_notice=window.tell,
                         keep_receipt=False),
        solves, "/xpvnsulc/")

    assert "anti-bot" in window.notices[0]
    assert result.fresh_login and [s.name for s in result.value.subscriptions] == ["Оптимум"]
    assert [e["method"] for e in events_of(site, "login_ok")] == ["code"]
