"""A browser session on the site: Playwright, the browser (launched through the
provisioning chain or connected to a remote server), one context with the saved storage
state, the overlay handlers, and the saved `session.json`."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Playwright
from playwright.sync_api import Error as PlaywrightError

from automations.browser import launch_args, locate_browser
from automations.driver import current_loan, start_playwright
from automations.errors import ConfigurationError, SiteUnreachable
from automations.home import DataHome, utc_stamp
from automations.i18n import _
from automations.pages import Overlays
from automations.settings import Settings
from automations.storage import too_open, write_private_json

VIEWPORT = {"width": 1280, "height": 900}

# Every CSS animation runs as one frame: a loading skeleton's endless shimmer repaints 60
# times a second for as long as the site makes us wait, and that repainting is most of the
# browser's CPU while a section loads (measured: 1.47 CPU-s of 3 s waiting on a slow
# section, 0.11 with this). animationstart and animationend still fire, so a site that
# waits for an animation to end still proceeds; transitions are finite and left alone, so
# transitionend keeps its meaning. Playwright's own screenshots do much the same
# (`animations="disabled"`).
STILL_ANIMATIONS_CSS = (
    "*, *::before, *::after { animation-duration: 0s !important; animation-delay: 0s !important;"
    " animation-iteration-count: 1 !important; }"
)
STILL_ANIMATIONS_SCRIPT = f"""(() => {{
  const style = document.createElement("style");
  style.textContent = {STILL_ANIMATIONS_CSS!r};
  const add = () => (document.head || document.documentElement).appendChild(style);
  if (document.documentElement) {{ add(); return; }}
  // Before the parser makes <html>: add it the moment <html> exists, ahead of the page's own
  // elements (waiting for readystatechange let a skeleton start its animation first).
  const watch = new MutationObserver(() => {{
    if (document.documentElement) {{ watch.disconnect(); add(); }}
  }});
  watch.observe(document, {{ childList: true }});
}})();"""


class SavedSession:
    """The browser's storage state, reused until the site rejects it. One account per site.

    A corrupt `session.json` costs only a fresh login: it is moved aside (kept, 0600, for a
    bug report) and `warn` is told, instead of ending every run until someone deletes it."""

    def __init__(self, home: DataHome, login: str | None, *, warn: Callable[[str], None] | None = None) -> None:
        self.file = home.session_file
        self.site_key = home.site_key
        self.login = login
        self.warn = warn or (lambda message: None)
        self.moved_to: Path | None = None  # where a corrupt session.json was set aside

    def _document(self) -> dict[str, Any] | None:
        """The saved document, or None when there is none or it was corrupt (then set aside)."""
        try:
            data = self.file.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise ConfigurationError(_("saved session {file} is unreadable ({error}): delete it and run "
                                       "`okko-cancel login` again").format(file=self.file, error=error.strerror)
                                     ) from None
        try:
            document = json.loads(data.decode("utf-8"))
        except ValueError:
            document = None
        if not isinstance(document, dict) or not isinstance(document.get("storage_state"), dict):
            self.set_aside()
            return None
        return document

    def set_aside_if_corrupt(self) -> Path | None:
        """Moves a corrupt `session.json` aside (telling `warn`); where it went, or None."""
        self._document()
        return self.moved_to

    def set_aside(self) -> Path:
        target = self.file.with_name(f"{self.file.name}.corrupt-{utc_stamp()}")
        try:
            os.replace(self.file, target)
            target.chmod(0o600)
        except OSError as error:
            raise ConfigurationError(_("saved session {file} is unreadable and cannot be moved aside ({error}): "
                                       "delete it and run `okko-cancel login` again").format(
                                           file=self.file, error=error.strerror)) from None
        self.moved_to = target
        self.warn(_("the saved session {file} was unreadable: moved it aside to {name}; the next login saves a new "
                    "one").format(file=self.file, name=target.name))
        return target

    def _set_aside_copies(self) -> set[Path]:
        return set(self.file.parent.glob(f"{self.file.name}.corrupt-*"))

    def load(self) -> dict[str, Any] | None:
        document = self._document()
        if document is None:
            return None
        if document.get("site") != self.site_key or (self.login and document.get("login") != self.login):
            return None
        state: dict[str, Any] = document["storage_state"]
        return state

    def save(self, context: BrowserContext) -> None:
        state = context.storage_state()
        write_private_json(self.file, {"site": self.site_key, "login": self.login, "storage_state": state})

    def forget(self) -> bool:
        """Removes the session, and any corrupt one set aside (it may still hold live cookies)."""
        removed = False
        for path in [self.file, *self._set_aside_copies()]:
            if path.exists():
                path.unlink(missing_ok=True)
                removed = True
        return removed

    def is_too_open(self) -> bool:
        return too_open(self.file)


def start_browser(playwright: Playwright, settings: Settings) -> Browser:
    if settings.connect:
        try:
            return playwright.chromium.connect(settings.connect, timeout=settings.timeout_s * 1000,
                                               slow_mo=settings.slow_mo_ms or None)
        except PlaywrightError as error:
            raise SiteUnreachable(
                _("cannot connect to the browser server at {address}: {error}").format(
                    address=settings.connect, error=str(error).splitlines()[0])
            ) from None
    choice = locate_browser(settings.browser_path, headless=settings.headless)
    try:
        return playwright.chromium.launch(
            executable_path=str(choice.executable) if choice.executable else None,
            headless=settings.headless,
            slow_mo=settings.slow_mo_ms or None,
            args=launch_args(),
        )
    except PlaywrightError as error:
        raise ConfigurationError(
            _("the browser {browser} did not start: {error}; set OKKO_BROWSER_PATH to another Chrome/Chromium").format(
                browser=choice.label, error=str(error).splitlines()[0])
        ) from None


def new_context(browser: Browser, settings: Settings, storage_state: dict[str, Any] | None) -> BrowserContext:
    context = browser.new_context(
        base_url=settings.base_url,
        storage_state=storage_state,  # type: ignore[arg-type]
        locale="ru-RU",
        timezone_id="Europe/Moscow",
        viewport=VIEWPORT,  # type: ignore[arg-type]
        reduced_motion="reduce",  # sites that honour it skip their motion altogether
    )
    still_animations(context)
    context.set_default_timeout(settings.timeout_s * 1000)
    context.set_default_navigation_timeout(settings.timeout_s * 1000)
    return context


def still_animations(context: BrowserContext) -> None:
    """Every page of `context` gets its CSS animations stopped; see STILL_ANIMATIONS_CSS."""
    context.add_init_script(STILL_ANIMATIONS_SCRIPT)


def new_page(context: BrowserContext) -> Page:
    page = context.new_page()
    Overlays(page).dismiss_automatically()
    return page


def wants_own_browser(settings: Settings) -> bool:
    """Settings that name a browser or how to drive it: those never take a lent one."""
    return bool(settings.connect or settings.browser_path or not settings.headless or settings.slow_mo_ms)


class BrowserSession:
    """`with BrowserSession(settings, storage_state) as session: session.page.goto(...)`

    Given a `browser` (a batch worker's), or one lent to the thread, it only opens a context
    there and closes that context, not the browser."""

    def __init__(self, settings: Settings, storage_state: dict[str, Any] | None = None,
                 browser: Browser | None = None) -> None:
        self.settings = settings
        self.storage_state = storage_state
        self._playwright: Playwright | None = None
        loan = current_loan()
        self._lent_playwright = loan.playwright if loan else None
        if browser is None and loan and not wants_own_browser(settings):
            browser = loan.browser
        self.browser: Browser | None = browser
        self._shared = browser is not None
        self.context: BrowserContext
        self.page: Page

    def __enter__(self) -> BrowserSession:
        try:
            if self.browser is None:
                playwright = self._lent_playwright
                if playwright is None:
                    playwright = self._playwright = start_playwright()
                self.browser = start_browser(playwright, self.settings)
            self.context = new_context(self.browser, self.settings, self.storage_state)
            self.page = new_page(self.context)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        try:
            if self._shared:
                context: BrowserContext | None = getattr(self, "context", None)
                if context is not None:
                    context.close()
            elif self.browser is not None:
                self.browser.close()
        except PlaywrightError:
            pass
        finally:
            if self._playwright is not None:
                self._playwright.stop()
                self._playwright = None
