"""/login: an e-mail or phone first, then whatever second step the site chooses.

What okko.tv was seen to do (see the spec): the field `test-id="sign_input"` with no visible
label, «Продолжить» (`continue_btn`) disabled until the input is valid, and a sliding panel
(`sliding_panel`) asking for a code sent by e-mail («Введите код из письма») — no password step
was ever seen, and the code field may have no label and no button (the form submits itself at
six digits, or on Enter). Some accounts log in only through Сбер ID, and an anti-bot page
(ServicePipe, `/xpvnsulc/` in its address) may stand in the way. The password step of our
first design stays as an alternative.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Request

from automations.locators import Find, LocatorTable, Words
from automations.pages.common import Header
from automations.pages.settings import SETTINGS
from automations.retry import retry_after_s

LOGIN = LocatorTable("login", {
    "heading": Find(role="heading", names=("Войдите или зарегистрируйтесь",)),
    "login_input": Find(test_ids=("sign_input",), labels=("Электронная почта или телефон",),
                        placeholders=("Электронная почта или телефон",)),
    "continue_button": Find(test_ids=("continue_btn",), role="button", names=("Продолжить",)),
    "panel": Find(test_ids=("sliding_panel",)),
    "password_heading": Find(role="heading", names=("Введите пароль",)),
    "password_input": Find(labels=("Пароль",)),
    "email_code_heading": Find(role="heading", names=("Введите код из письма",)),
    "sms_code_heading": Find(role="heading", names=("Введите код из СМС", "Введите код из SMS")),
    # In the panel: the one text field its code step shows, labelled or not.
    "code_input": Find(role="textbox"),
    "submit_button": Find(role="button", names=("Войти", "Подтвердить")),
    "error": Find(role="alert"),
    "sber_id": Find(role="heading", names=("Вход с помощью Сбер ID", "Войдите через Сбер ID")),
    "sber_id_button": Find(test_ids=("sign_sber",), role="button", names=("Сбер ID", "Войти через Сбер ID")),
    "captcha": Find(role="heading", names=("Проверка безопасности", "Проверка браузера")),
    # What the site says: only the first two are the site refusing the credentials.
    "rejected_words": Words(("Неверный логин или пароль", "Неверный код", "Неверный пароль", "Неправильный код")),
    "locked_words": Words(("Слишком много попыток",)),
    "bad_format_words": Words(("Неверный формат",)),
    # Where a person's help is needed, by address: Сбер ID's pages and the anti-bot block page.
    "sber_id_addresses": Words(("/sberid/", "id.sber.ru")),
    "antibot_addresses": Words(("/xpvnsulc/",)),
})
# A status that says "not now" rather than "no".
UNAVAILABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class LoginOutcome(enum.Enum):
    SIGNED_IN = "signed_in"
    PASSWORD_STEP = "password"
    CODE_STEP = "code"
    SMS_STEP = "sms"
    REJECTED = "rejected"
    LOCKED = "locked"
    BAD_FORMAT = "bad_format"
    CAPTCHA = "captcha"
    SBER_ID = "sber_id"
    UNAVAILABLE = "unavailable"


class LoginPage:
    PATH = "/login"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = Header(page)
        self.heading = LOGIN.locate("heading", page)
        self.login_input = LOGIN.locate("login_input", page).first
        self.continue_button = LOGIN.locate("continue_button", page).first
        self.panel = LOGIN.locate("panel", page)
        self.password_heading = LOGIN.locate("password_heading", page)
        self.password_input = LOGIN.locate("password_input", page).first
        self.email_code_heading = LOGIN.locate("email_code_heading", page)
        self.sms_code_heading = LOGIN.locate("sms_code_heading", page)
        self.code_input = LOGIN.locate("code_input", self.panel).first
        self.submit_button = LOGIN.locate("submit_button", self.panel)
        self.error = LOGIN.locate("error", page).filter(has_text=re.compile(r"\S"))
        self.sber_id = LOGIN.locate("sber_id", page)
        self.captcha = LOGIN.locate("captcha", page)
        # The site's own error page (a 429 or 5xx) instead of the login form.
        self.error_page = SETTINGS.locate("error_page", page)
        self.signed_in_marker = self.header.account_control
        # Whatever the site shows after a step: the next step, a verdict, or a wall.
        self.any_outcome = (
            self.password_heading.or_(self.email_code_heading).or_(self.sms_code_heading).or_(self.error)
            .or_(self.captcha).or_(self.sber_id).or_(self.signed_in_marker)
        ).first

    def open(self, next_path: str | None = None) -> None:
        self.page.goto(self.PATH + (f"?next={next_path}" if next_path else ""))

    def is_open(self) -> bool:
        return "/login" in self.page.url or self.needs_person() is not None

    def needs_person(self) -> LoginOutcome | None:
        """Сбер ID or an anti-bot page, told by the page's address: their texts may be unknown."""
        if LOGIN.words("sber_id_addresses").found_in(self.page.url):
            return LoginOutcome.SBER_ID
        if LOGIN.words("antibot_addresses").found_in(self.page.url):
            return LoginOutcome.CAPTCHA
        return None

    def identify(self, login: str) -> tuple[LoginOutcome, list[Request]]:
        """Types the e-mail or phone and continues; returns which second step came, and the
        requests that sent it (their answers tell a refusal from a site that is struggling)."""
        self.captcha.or_(self.sber_id).or_(self.login_input).or_(self.error_page).first.wait_for()
        wall = self.needs_person() or self._wall()
        if wall is not None:
            return wall, []
        if self.error_page.first.is_visible():
            return LoginOutcome.UNAVAILABLE, []
        self.login_input.fill(login)
        if not self.takes_login():
            return LoginOutcome.BAD_FORMAT, []
        with watch_writes(self.page) as sent:
            self.continue_button.click()
            self.any_outcome.wait_for()
        return self.classify(sent), sent

    def takes_login(self) -> bool:
        """Whether the site takes what was typed for an e-mail or a phone: okko.tv keeps
        «Продолжить» disabled until it does, and nothing is sent then."""
        try:
            # A trial click waits for «Продолжить» to be enabled and clicks nothing.
            self.continue_button.click(trial=True, timeout=VALIDATION_WAIT_MS)
        except PlaywrightError:
            # Enabled after all: the page was only too slow to be clicked within the wait (a
            # starved CPU: a batch's many browsers on few cores), and the real click waits as
            # long as any.
            return self.continue_button.first.is_enabled()
        return True

    def submit_password(self, password: str) -> tuple[LoginOutcome, list[Request]]:
        return self._submit(self.password_input, password)

    def submit_code(self, code: str) -> tuple[LoginOutcome, list[Request]]:
        return self._submit(self.code_input, code)

    def _submit(self, field: Locator, value: str) -> tuple[LoginOutcome, list[Request]]:
        with watch_writes(self.page) as sent:
            # Typed inside the watch: a form that sends itself at six digits does so while typing.
            field.fill(value)
            button = self.submit_button.first
            if button.is_visible() and button.is_enabled():
                button.click()
            elif not self._sent_by_itself(sent):
                # No button, and the typed code did not send the form: Enter does.
                field.press("Enter")
            self.signed_in_marker.or_(self.error).or_(self.captcha).or_(self.sber_id).first.wait_for()
        return self.classify(sent), sent

    def _sent_by_itself(self, sent: list[Request]) -> bool:
        """Whether the form sent itself once the code was typed (okko.tv's does at six digits)."""
        if sent:
            return True
        try:
            self.page.wait_for_event("request", lambda request: request.method != "GET", timeout=AUTO_SUBMIT_WAIT_MS)
        except PlaywrightError:
            # Sent between the look at `sent` and the wait, or the page moved on by itself.
            return bool(sent) or not self.code_input.is_visible()
        return True

    def error_text(self) -> str:
        return self.error.first.inner_text().strip() if self.error.count() else ""

    def _wall(self) -> LoginOutcome | None:
        if self.captcha.first.is_visible():
            return LoginOutcome.CAPTCHA
        if self.sber_id.first.is_visible():
            return LoginOutcome.SBER_ID
        return None

    def classify(self, sent: list[Request] | None = None) -> LoginOutcome:
        wall = self.needs_person() or self._wall()
        if wall is not None:
            return wall
        if self.signed_in_marker.first.is_visible():
            return LoginOutcome.SIGNED_IN
        if self.error.count() and self.error.first.is_visible():
            return self._verdict(self.error_text(), sent or [])
        if self.sms_code_heading.first.is_visible():
            return LoginOutcome.SMS_STEP
        if self.email_code_heading.first.is_visible():
            return LoginOutcome.CODE_STEP
        return LoginOutcome.PASSWORD_STEP

    @staticmethod
    def _verdict(message: str, sent: list[Request]) -> LoginOutcome:
        """Only the site's own words for wrong credentials or a lock count as a refusal:
        a message after a 429, a 5xx or a dropped connection means "try later"."""
        if LOGIN.words("locked_words").found_in(message):
            return LoginOutcome.LOCKED
        if LOGIN.words("bad_format_words").found_in(message):
            return LoginOutcome.BAD_FORMAT
        if LOGIN.words("rejected_words").found_in(message) and not any(_failed(r) for r in sent):
            return LoginOutcome.REJECTED
        return LoginOutcome.UNAVAILABLE


# How long a code field without a button gets to send itself before Enter is pressed.
AUTO_SUBMIT_WAIT_MS = 1_500
# How long the site gets to accept a typed login as an e-mail or a phone («Продолжить» enabled).
VALIDATION_WAIT_MS = 1_500


def _failed(request: Request) -> bool:
    response = request.response() if request.failure is None else None
    return response is None or response.status in UNAVAILABLE_STATUSES


def last_retry_after_s(sent: list[Request]) -> float | None:
    """The site's Retry-After (in seconds) on the last answer that had one."""
    for request in reversed(sent):
        response = request.response() if request.failure is None else None
        if response is not None and (seconds := retry_after_s(response.headers)) is not None:
            return seconds
    return None


@contextmanager
def watch_writes(page: Page) -> Iterator[list[Request]]:
    """Collects the requests that are not plain reads, sent while the block runs."""
    sent: list[Request] = []

    def note(request: Request) -> None:
        if request.method != "GET":
            sent.append(request)

    page.on("request", note)
    try:
        yield sent
    finally:
        page.remove_listener("request", note)
