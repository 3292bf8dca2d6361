"""Signing in: reuse the saved session when the site still accepts it, else log in once."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Page

from automations.credentials import Credentials
from automations.errors import FlowFailed, HumanNeeded, LoginRejected
from automations.pages import LoginOutcome, LoginPage, ProfilePage, SettingsSection
from automations.steps import StepLog

# Given the e-mail the site sent the code to; returns the code, or None when nobody can say.
CodeProvider = Callable[[str], str | None]
# A person solving a CAPTCHA in a visible window gets this long.
HUMAN_WAIT_MS = 5 * 60 * 1000


def open_settings(page: Page, steps: StepLog, start_on: type[SettingsSection] | None = None) -> bool:
    """Opens the settings, at the section `start_on` when given: a flow that begins there is
    spared a page load (about 0.2 s). True when the site wants a login first."""
    with steps.step("Открыть настройки"):
        page.goto(start_on.PATH if start_on else "/settings")
        wait_for_settings(page, start_on)
    return LoginPage(page).is_open()


def wait_for_settings(page: Page, start_on: type[SettingsSection] | None = None) -> None:
    """Waits for the settings (or the login page) to show. When the section `start_on` is not
    where its address leads (the site moved it), the settings open at their front door, so
    that the flow looks for the section in the menu and names what it did not find there."""
    profile, login = ProfilePage(page), LoginPage(page)
    front_door = profile.heading.or_(login.heading).or_(login.captcha)
    if start_on is not None:
        landing = start_on(page).heading.or_(login.heading).or_(login.captcha)
        landing.or_(page.get_by_role("heading", level=1)).first.wait_for()
        if landing.first.is_visible():
            return
        page.goto("/settings")
    front_door.first.wait_for()


def _raise_for(outcome: LoginOutcome, page: LoginPage, credentials: Credentials) -> None:
    if outcome is LoginOutcome.REJECTED:
        raise LoginRejected(
            f"the site rejected the login for {credentials.login} («{page.error_text()}»): check the password and run "
            "`okko-cancel login` again; not retried, to avoid locking the account"
        )
    if outcome is LoginOutcome.LOCKED:
        raise LoginRejected(
            f"the site locked {credentials.login} after too many attempts («{page.error_text()}»): wait 15 minutes, "
            "then run `okko-cancel login`"
        )
    if outcome is LoginOutcome.CAPTCHA:
        raise HumanNeeded("the site asks to solve a CAPTCHA: run the command again with --headed and solve it in the browser window")


def sign_in(
    page: Page,
    steps: StepLog,
    credentials: Credentials,
    *,
    code_provider: CodeProvider | None = None,
    headed: bool = False,
) -> None:
    """One login attempt: never retried, so a wrong password cannot lock the account."""
    login = LoginPage(page)
    with steps.step("Вход: почта или телефон"):
        if not login.is_open():
            login.open()
        outcome = login.identify(credentials.login)
        if outcome is LoginOutcome.CAPTCHA and headed:
            # A person at the window can pass it; wait for them, not for the clock.
            login.login_input.wait_for(timeout=HUMAN_WAIT_MS)
            outcome = login.identify(credentials.login)
    _raise_for(outcome, login, credentials)
    if outcome is LoginOutcome.CODE_STEP:
        with steps.step("Вход: код из письма"):
            code = code_provider(credentials.login) if code_provider else None
            if not code:
                raise HumanNeeded(
                    "the site e-mailed a login code: run on a terminal to type it, or pass --code-command "
                    "(OKKO_CODE_COMMAND) that prints it"
                )
            outcome = login.submit_code(code.strip())
    else:
        with steps.step("Вход: пароль"):
            outcome = login.submit_password(credentials.password.get_secret_value())
    _raise_for(outcome, login, credentials)
    if outcome is not LoginOutcome.SIGNED_IN:
        raise FlowFailed("Вход", "link «Настройки»", "the site did not show the signed-in header after the login")


def ensure_signed_in(
    page: Page,
    steps: StepLog,
    credentials: Credentials | None,
    *,
    code_provider: CodeProvider | None = None,
    headed: bool = False,
    start_on: type[SettingsSection] | None = None,
) -> bool:
    """Leaves the page on the settings (at `start_on`, when given); True when a fresh login
    was needed (and done)."""
    if not open_settings(page, steps, start_on):
        return False
    if credentials is None:
        raise LoginRejected("the saved session has expired and no credentials are saved: run `okko-cancel login`")
    sign_in(page, steps, credentials, code_provider=code_provider, headed=headed)
    back_in_settings(page, steps, start_on)
    return True


def back_in_settings(page: Page, steps: StepLog, start_on: type[SettingsSection] | None = None) -> None:
    """After a login: the settings again, where the flow starts."""
    if urlsplit(page.url).path.startswith("/settings"):
        # The login's `next` brought the page back to the settings: loading them again
        # would only cost time (about a page load on every fresh login).
        with steps.step("Открыть настройки"):
            wait_for_settings(page, start_on)
    else:
        open_settings(page, steps, start_on)
