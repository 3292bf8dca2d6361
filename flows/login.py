"""Signing in: reuse the saved session when the site still accepts it, else log in once.

One attempt with the credentials, never retried after the site refused them (only its own
words for wrong credentials or a lock are a refusal). A site that answers 429, 5xx or drops
the connection has not refused anything: that is retried with backoff (honouring Retry-After)
and ends in SiteUnreachable. Where a script cannot go — Сбер ID, an anti-bot page, a code
that nobody can supply — a headless run stops with HumanNeeded naming `okko-cancel login
--headed`; a headed run tells the person what to do in the window and waits for them.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Request
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automations.credentials import Credentials
from automations.errors import ConfigurationError, FlowFailed, HumanNeeded, LoginRejected, SiteUnreachable
from automations.i18n import N_, _
from automations.pages import Header, LoginOutcome, LoginPage, SettingsMenu, SettingsSection
from automations.pages.login import last_retry_after_s
from automations.prompts import CodeProvider
from automations.retry import Backoff, pause, retry_after_s
from automations.steps import StepLog

FINISH_HEADED = "okko-cancel login --headed"
LOGIN_BACKOFF = Backoff()
# In English here; `_(WALLS[wall])` where it is said.
WALLS = {
    LoginOutcome.SBER_ID: N_("the account logs in through «Сбер ID»"),
    LoginOutcome.CAPTCHA: N_("the site shows an anti-bot check (a CAPTCHA)"),
}


@dataclass(frozen=True)
class Person:
    """Someone at a visible browser window: they finish what a script cannot, within `wait_s`."""

    wait_s: float = 300.0
    tell: Callable[[str], None] = field(default=lambda message: None)


def open_settings(page: Page, steps: StepLog, start_on: type[SettingsSection] | None = None) -> bool:
    """Opens the settings, at the section `start_on` when given: a flow that begins there is
    spared a page load. True when the site wants a login (or a person) first."""
    with steps.step(_("Open the settings")):
        _open_until_answered(page, start_on.PATH if start_on else "/settings")
        wait_for_settings(page, start_on)
    return LoginPage(page).is_open()


def _open_until_answered(page: Page, path: str) -> None:
    """Opens `path` again, with backoff (honouring Retry-After), while the site answers "not
    now" (429 or 5xx); then SiteUnreachable, rather than a wait for settings that never show."""
    pauses = LOGIN_BACKOFF.pauses()
    while (response := page.goto(path)) is not None and (response.status == 429 or response.status >= 500):
        delay = next(pauses, None)
        if delay is None:
            raise SiteUnreachable(_("the site kept answering {status} to {path} after {attempts} attempts; try "
                                    "again later").format(status=response.status, path=path,
                                                          attempts=LOGIN_BACKOFF.attempts))
        pause(max(delay, retry_after_s(response.headers) or 0.0))


def wait_for_settings(page: Page, start_on: type[SettingsSection] | None = None) -> None:
    """Waits for the settings (or the login page) to show. When the section `start_on` is not
    where its address leads (the site moved it), the settings open at their front door, so
    that the flow looks for the section in the menu and names what it did not find there."""
    login = LoginPage(page)
    elsewhere = login.heading.or_(login.captcha).or_(login.sber_id)
    front_door = SettingsMenu(page).nav.or_(elsewhere)
    if start_on is not None:
        landing = start_on(page).tab.or_(elsewhere)
        landing.or_(page.get_by_role("heading", level=1)).first.wait_for()
        if landing.first.is_visible() or login.needs_person():
            return
        page.goto("/settings")
    if login.needs_person():
        return
    front_door.first.wait_for()


def _raise_for(outcome: LoginOutcome, page: LoginPage, credentials: Credentials) -> None:
    if outcome is LoginOutcome.REJECTED:
        raise LoginRejected(
            _("the site rejected the login for {login} («{said}»): check the password and run `okko-cancel login` "
              "again; not retried, to avoid locking the account").format(login=credentials.login,
                                                                         said=page.error_text())
        )
    if outcome is LoginOutcome.LOCKED:
        raise LoginRejected(
            _("the site locked {login} after too many attempts («{said}»): wait 15 minutes, then run "
              "`okko-cancel login`").format(login=credentials.login, said=page.error_text())
        )
    if outcome is LoginOutcome.BAD_FORMAT:
        said = (f"«{page.error_text()}»" if page.error_text()
                else _("«{button}» stays disabled").format(button="Продолжить"))
        raise ConfigurationError(_("the site does not take {login} as an e-mail or a phone ({said}): give an e-mail "
                                   "or a phone number").format(login=credentials.login, said=said))


def _attempts(login: LoginPage, attempt: Callable[[], tuple[LoginOutcome, list[Request]]],
              what: str) -> LoginOutcome:
    """`attempt` until the site answers something other than "not now", with backoff."""
    pauses = LOGIN_BACKOFF.pauses()
    while True:
        try:
            outcome, sent = attempt()
        except PlaywrightError as error:
            if isinstance(error, PlaywrightTimeoutError) or "net::" not in str(error):
                raise
            outcome, sent = LoginOutcome.UNAVAILABLE, []
        if outcome is not LoginOutcome.UNAVAILABLE:
            return outcome
        delay = next(pauses, None)
        if delay is None:
            said = login.error_text() if not login.page.is_closed() else ""
            message = (_("the site kept failing at {what} after {attempts} attempts («{said}»); the login was not "
                         "refused, try again later") if said
                       else _("the site kept failing at {what} after {attempts} attempts; the login was not refused, "
                              "try again later"))
            raise SiteUnreachable(message.format(what=what, attempts=LOGIN_BACKOFF.attempts, said=said))
        pause(max(delay, last_retry_after_s(sent) or 0.0))


def wait_for_person(page: Page, what: str, person: Person, until: Locator | None = None) -> None:
    """Tells the person what to do in the window and waits until `until` shows (by default:
    the site shows them signed in)."""
    minutes = max(1, round(person.wait_s / 60))
    person.tell(_("A person is needed: {what}. Finish it in the browser window; waiting up to {minutes} min.").format(
        what=what, minutes=minutes))
    try:
        (until or Header(page).account_control).first.wait_for(timeout=person.wait_s * 1000)
    except PlaywrightTimeoutError:
        raise HumanNeeded(_("{what}, and nobody finished it in the window within {minutes} min: run `{command}` again "
                            "when you are at the screen").format(what=what, minutes=minutes, command=FINISH_HEADED)
                          ) from None
    person.tell(_("Done in the window: going on."))


def get_past(wall: LoginOutcome, page: Page, person: Person | None) -> None:
    """Сбер ID: the person logs in there, and the site comes back signed in. An anti-bot page:
    the person passes it, and the script goes on from the page behind it."""
    what = _(WALLS[wall])
    if person is None:
        raise HumanNeeded(_("{what}: a script cannot finish it; run `{command}` and finish it in the window, then run "
                            "this command again").format(what=what, command=FINISH_HEADED))
    if wall is LoginOutcome.CAPTCHA:
        login = LoginPage(page)
        wait_for_person(page, what, person, until=login.login_input.or_(Header(page).account_control))
    else:
        wait_for_person(page, what, person)


def awaiting_code(code_provider: CodeProvider | None, login: str) -> AbstractContextManager[object]:
    """Around asking the site for a code: a provider that must look at the mailbox before the
    code is sent (the IMAP one: only a later letter counts) does it here."""
    expecting: Callable[[str], AbstractContextManager[object]] | None = getattr(code_provider, "expecting", None)
    return expecting(login) if expecting is not None else nullcontext()


def session_ended(code_provider: CodeProvider | None) -> HumanNeeded:
    """The saved session ended and no credentials are saved to log in again: a person must."""
    ended: Callable[[], HumanNeeded] | None = getattr(code_provider, "session_ended", None)
    if ended is not None:
        return ended()
    return HumanNeeded(_("the site no longer accepts the saved session and no credentials are saved: run "
                         "`okko-cancel login`"))


def sign_in(
    page: Page,
    steps: StepLog,
    credentials: Credentials,
    *,
    code_provider: CodeProvider | None = None,
    person: Person | None = None,
) -> None:
    """One login attempt: never retried once refused, so a wrong password cannot lock the account."""
    with awaiting_code(code_provider, credentials.login):
        _sign_in(page, steps, credentials, code_provider=code_provider, person=person)


def _sign_in(
    page: Page,
    steps: StepLog,
    credentials: Credentials,
    *,
    code_provider: CodeProvider | None,
    person: Person | None,
) -> None:
    login = LoginPage(page)
    with steps.step(_("Log in: e-mail or phone")):
        def identify() -> tuple[LoginOutcome, list[Request]]:
            if not login.is_open():
                login.open()
            elif login.error_page.first.is_visible():
                page.reload()  # the login page itself came as the site's error page
            return login.identify(credentials.login)

        outcome = _attempts(login, identify, _("the login's first step"))
        if outcome is LoginOutcome.CAPTCHA:
            get_past(outcome, page, person)
            if Header(page).is_signed_in():
                return
            outcome = _attempts(login, identify, _("the login's first step"))
        if outcome in WALLS:
            get_past(outcome, page, person)
            return
    _raise_for(outcome, login, credentials)
    if outcome in (LoginOutcome.CODE_STEP, LoginOutcome.SMS_STEP):
        by_sms = outcome is LoginOutcome.SMS_STEP
        with steps.step(_("Log in: the code from the SMS") if by_sms else _("Log in: the code from the e-mail")):
            code = code_provider(credentials.login) if code_provider else None
            if not code:
                what = _("the site sent a login code by SMS") if by_sms else _("the site e-mailed a login code")
                if person is None:
                    raise HumanNeeded(_("{what} and there is no way to ask for it: run on a terminal to type it, pass "
                                        "--code-command (OKKO_CODE_COMMAND) that prints it or --code-from-imap "
                                        "(OKKO_CODE_IMAP) to read it from the mailbox, or run `{command}` and type "
                                        "it in the window").format(what=what, command=FINISH_HEADED))
                wait_for_person(page, _("{what}: type it in the window").format(what=what), person)
                return
            outcome = _attempts(login, lambda: login.submit_code(code.strip()), _("the login code"))
    elif outcome is LoginOutcome.PASSWORD_STEP:
        with steps.step(_("Log in: password")):
            password = credentials.password.get_secret_value()
            if not password:
                raise ConfigurationError(_("the site asks for a password and none was given: set OKKO_PASSWORD, or "
                                           "run `okko-cancel login` on a terminal"))
            outcome = _attempts(login, lambda: login.submit_password(password), _("the password step"))
    if outcome in WALLS:
        get_past(outcome, page, person)
        return
    _raise_for(outcome, login, credentials)
    if outcome is not LoginOutcome.SIGNED_IN:
        raise FlowFailed(_("Log in"), _("the profile button «{button}» or the link «{link}»").format(
                             button="Профиль", link="Настройки"),
                         _("the site did not show the signed-in header after the login"))


def ensure_signed_in(
    page: Page,
    steps: StepLog,
    credentials: Credentials | None,
    *,
    code_provider: CodeProvider | None = None,
    person: Person | None = None,
    start_on: type[SettingsSection] | None = None,
) -> bool:
    """Leaves the page on the settings (at `start_on`, when given); True when a fresh login
    was needed (and done)."""
    if not open_settings(page, steps, start_on):
        return False
    log_in(page, steps, credentials, code_provider=code_provider, person=person)
    back_in_settings(page, steps, start_on)
    return True


def log_in(page: Page, steps: StepLog, credentials: Credentials | None, *,
           code_provider: CodeProvider | None = None, person: Person | None = None) -> None:
    """From where the site sent a visitor who is not signed in: the login page, or a wall on
    the way to it (Сбер ID, an anti-bot page), which only a person passes."""
    wall = LoginPage(page).needs_person()
    if wall is not None:
        # Сбер ID or an anti-bot page on the way to the settings.
        with steps.step(_("Log in: the site asks for a person")):
            get_past(wall, page, person)
        if Header(page).is_signed_in():
            return
    if credentials is None:
        with steps.step(_("Log in")):
            raise session_ended(code_provider)
    sign_in(page, steps, credentials, code_provider=code_provider, person=person)


def back_in_settings(page: Page, steps: StepLog, start_on: type[SettingsSection] | None = None) -> None:
    """After a login: the settings again, where the flow starts."""
    if urlsplit(page.url).path.startswith("/settings"):
        # The login's `next` brought the page back to the settings: loading them again
        # would only cost time (about a page load on every fresh login).
        with steps.step(_("Open the settings")):
            wait_for_settings(page, start_on)
    else:
        open_settings(page, steps, start_on)
