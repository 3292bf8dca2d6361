"""Signing in: reuse the saved session when the site still accepts it, else log in once."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Page

from automations.credentials import Credentials
from automations.errors import FlowFailed, HumanNeeded, LoginRejected
from automations.pages import LoginOutcome, LoginPage, ProfilePage
from automations.steps import StepLog

# Given the e-mail the site sent the code to; returns the code, or None when nobody can say.
CodeProvider = Callable[[str], str | None]
# A person solving a CAPTCHA in a visible window gets this long.
HUMAN_WAIT_MS = 5 * 60 * 1000


def open_settings(page: Page, steps: StepLog) -> bool:
    """Opens /settings; True when the site wants a login first."""
    profile, login = ProfilePage(page), LoginPage(page)
    with steps.step("Открыть настройки"):
        page.goto("/settings")
        profile.heading.or_(login.heading).or_(login.captcha).first.wait_for()
    return login.is_open()


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
) -> bool:
    """Leaves the page on the settings; True when a fresh login was needed (and done)."""
    if not open_settings(page, steps):
        return False
    if credentials is None:
        raise LoginRejected("the saved session has expired and no credentials are saved: run `okko-cancel login`")
    sign_in(page, steps, credentials, code_provider=code_provider, headed=headed)
    if urlsplit(page.url).path.startswith("/settings"):
        # The login's `next` brought the page back to the settings: loading them again
        # would only cost time (about a page load on every fresh login).
        with steps.step("Открыть настройки"):
            ProfilePage(page).heading.or_(LoginPage(page).heading).first.wait_for()
    else:
        open_settings(page, steps)
    return True
