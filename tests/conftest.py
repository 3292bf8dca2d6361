"""The fixture ladder, as pytest-playwright lays it out: one mock site and one browser per
test session (per xdist worker), a fresh site state, browser context and page per test.

Tests pick the site's starting point with markers:

    @pytest.mark.scenario("multi")
    @pytest.mark.variant("redesign")
    def test_something(site, signed_in_page): ...
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from playwright.sync_api import BrowserContext, Page

from automations.browser import launch_args, locate_browser
from automations.i18n import use_language
from automations.overrides import reset_overrides
from automations.pages import Overlays, SettingsSection
from automations.session import still_animations
from automations.steps import StepLog
from fixtures import AdminClient, MockSite, serve_mock_site
from flows.login import open_settings
from tests.commands import COMMANDS
from tests.helpers import EXPECT_TIMEOUT_MS, sign_in_through_api
from tests.keyrings import MemoryKeyring

def pytest_configure(config: pytest.Config) -> None:
    """The suite reads English, whatever the machine's locale; the tests of Russian ask for it
    (OKKO_LANG=ru, or `--lang ru`). Commands run as processes inherit it.

    The processes the tests start play a foreground job at a terminal, which Ctrl-C reaches.
    A suite started in the background by a shell without job control (`make test &` in a
    script) begins with SIGINT ignored, and every process it starts would inherit that and
    never hear the tests' Ctrl-C; with Python's own handler back, they start with the default."""
    os.environ["OKKO_LANG"] = "en"
    use_language("en")
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def language_and_locators_reset_after_each_test() -> Iterator[None]:
    """A test that switches the language in-process (`--lang ru` through CliRunner) leaves it
    English for the next one, and a command's locators.toml (every command loads its data
    directory's) does not outlive the test that ran it."""
    yield
    use_language("en")
    reset_overrides()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `slow` (whole CLI runs, every flow in `check`: seconds each) run first:
    under xdist's worksteal a long test that starts last keeps one worker busy after the
    other has run out of work, and that tail is the suite's wall time."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: file order kept otherwise


@pytest.fixture(scope="session")
def mock_site() -> Iterator[MockSite]:
    with serve_mock_site() as site:
        yield site


@pytest.fixture(scope="session")
def base_url(mock_site: MockSite) -> str:
    # Overrides pytest-base-url's fixture, so `page.goto("/login")` lands on the mock.
    return mock_site.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    choice = locate_browser(headless=browser_type_launch_args.get("headless", True))
    args = {**browser_type_launch_args, "args": launch_args()}
    if choice.executable is not None:
        args["executable_path"] = str(choice.executable)
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "ru-RU", "viewport": {"width": 1280, "height": 800},
            "reduced_motion": "reduce"}


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    """pytest-playwright's context, with the animations stopped as the tool's own contexts have them."""
    still_animations(context)
    return context


@pytest.fixture(autouse=True, scope="session")
def _command_thread() -> Iterator[None]:
    """Closes the command thread's browser and Playwright (tests/commands.py) if a test started them."""
    yield
    COMMANDS.close()


@pytest.fixture(autouse=True, scope="session")
def _expect_timeout() -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture
def site(mock_site: MockSite, request: pytest.FixtureRequest) -> AdminClient:
    """The mock site, reset to the test's scenario and variant; its admin API client."""
    scenario = request.node.get_closest_marker("scenario")
    variant = request.node.get_closest_marker("variant")
    admin = AdminClient(mock_site.url)
    admin.reset(
        scenario.args[0] if scenario else "default",
        variant.args[0] if variant else "okko",
        **(scenario.kwargs if scenario else {}),
    )
    return admin


@pytest.fixture
def consented_page(page: Page, base_url: str) -> Page:
    """A page whose visitor already accepted cookies: the banner stays out of the way."""
    page.context.add_cookies([{"name": "okko_consent", "value": "1", "url": base_url}])
    page.set_default_timeout(EXPECT_TIMEOUT_MS)
    return page


@pytest.fixture
def signed_in_page(consented_page: Page, site: AdminClient) -> Page:
    """A page signed in as the scenario's (first) account through the site's own login API (no
    UI steps), sharing the browser context's cookies."""
    sign_in_through_api(consented_page.request, site, site.state()["accounts"][0]["email"])
    return consented_page


@pytest.fixture
def outbox_codes(site: AdminClient) -> Callable[[str], str]:
    """A login's code provider that reads the mock site's outbox, as a person reads their mail."""
    return site.last_code


@pytest.fixture
def loaded(page: Page) -> list[str]:
    """Every page (document) the test's page loads, as path and query, redirects included."""
    paths: list[str] = []
    page.on("request", lambda r: paths.append(r.url.split("/", 3)[3]) if r.resource_type == "document" else None)
    return paths


@pytest.fixture
def steps(page: Page) -> StepLog:
    """A flow's step log, as the CLI would pass it (without printing)."""
    return StepLog(url=lambda: page.url)


@pytest.fixture
def start_on() -> type[SettingsSection] | None:
    """Where `settings_page` opens the settings: at their front door, unless a test module
    names the section its flow starts on (the flow's STARTS_ON, as a run does)."""
    return None


@pytest.fixture
def settings_page(signed_in_page: Page, start_on: type[SettingsSection] | None) -> Page:
    """Signed in and on the settings, where a run leaves the page for its flow (`open_settings`)."""
    open_settings(signed_in_page, StepLog(), start_on)
    Overlays(signed_in_page).dismiss_automatically()
    return signed_in_page


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The OS keyring, kept in memory for the test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    return tmp_path / "data"
