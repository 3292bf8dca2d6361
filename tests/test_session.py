"""The browser context every flow runs in (`automations.session.new_context`): the site's
CSS animations stopped, so that a loading skeleton does not repaint for as long as the site
makes us wait. A plain context on the same page is the control: there, the skeleton's
shimmer runs."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, expect

from automations.session import new_context
from automations.settings import Settings
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite

RUNNING_ANIMATIONS = "document.getAnimations().filter(a => a.playState === 'running').length"


def running_animations_while_loading(context: BrowserContext) -> int:
    """Signs in, opens a section whose data is slow to come, and counts the animations
    running while its skeleton shows."""
    page = context.new_page()
    assert page.request.post("/api/v1/auth/login", data={"login": DEMO_EMAIL, "password": DEMO_PASSWORD}).ok
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
        assert running_animations_while_loading(plain) > 0
        assert running_animations_while_loading(ours) == 0
    finally:
        plain.close()
        ours.close()
