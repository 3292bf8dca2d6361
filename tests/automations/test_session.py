"""Browser sessions (`automations.session`).

The context every flow runs in has the site's CSS animations stopped, so that a loading
skeleton does not repaint for as long as the site makes us wait; a plain context on the
same page is the control, where the skeleton's shimmer runs. A thread that was lent a
Playwright and a browser (the tests' command thread) opens its sessions there, unless
their settings name a browser."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, expect

from automations.browser import locate_browser
from automations.session import BrowserSession, new_context
from automations.settings import Settings
from fixtures import AdminClient, MockSite
from tests.commands import in_command_thread
from tests.helpers import sign_in_through_api

RUNNING_ANIMATIONS = "document.getAnimations().filter(a => a.playState === 'running').length"


def running_animations_while_loading(context: BrowserContext, site: AdminClient) -> int:
    """Signs in, opens a section whose data is slow to come, and counts the animations
    running while its skeleton shows."""
    page = context.new_page()
    sign_in_through_api(page.request, site)
    page.goto("/settings/subscriptions", wait_until="commit")
    expect(page.get_by_role("progressbar", name="Загрузка")).to_be_visible()
    count: int = page.evaluate(RUNNING_ANIMATIONS)
    return count


def test_a_loading_skeleton_does_not_animate_in_the_flows_context(
    browser: Browser, site: AdminClient, mock_site: MockSite, tmp_path: Path
) -> None:
    site.set_faults(latency_ms=3_000, latency_path="/api/v1/subscriptions")
    plain = browser.new_context(base_url=mock_site.url)
    ours = new_context(browser, Settings(base_url=mock_site.url, data_dir=tmp_path), None)
    try:
        assert running_animations_while_loading(plain, site) > 0
        assert running_animations_while_loading(ours, site) == 0
    finally:
        plain.close()
        ours.close()


def test_sessions_in_the_command_thread_share_its_browser_unless_their_settings_name_one(
    mock_site: MockSite, tmp_path: Path
) -> None:
    plain = Settings(base_url=mock_site.url, data_dir=tmp_path)
    named = plain.model_copy(update={"browser_path": locate_browser(headless=True).executable})

    def open_and_close(settings: Settings) -> tuple[Browser, bool]:
        with BrowserSession(settings) as session:
            assert session.browser is not None
            browser = session.browser
        return browser, browser.is_connected()

    def three_sessions() -> list[tuple[Browser, bool]]:
        return [open_and_close(plain), open_and_close(plain), open_and_close(named)]

    (first, first_alive), (second, second_alive), (own, own_alive) = in_command_thread(three_sessions)

    assert first is second and first_alive and second_alive  # the lent browser, left running
    assert own is not first and not own_alive  # a browser of its own, closed with the session
