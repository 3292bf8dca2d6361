"""/login: e-mail or phone first, then a password or a code the site e-mails."""

from __future__ import annotations

import enum
import re

from playwright.sync_api import Page

LOCKED_TEXT = "Слишком много попыток входа"


class LoginOutcome(enum.Enum):
    SIGNED_IN = "signed_in"
    PASSWORD_STEP = "password"
    CODE_STEP = "code"
    REJECTED = "rejected"
    LOCKED = "locked"
    CAPTCHA = "captcha"


class LoginPage:
    PATH = "/login"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Войдите или зарегистрируйтесь")
        self.login_input = page.get_by_label("Электронная почта или телефон")
        self.continue_button = page.get_by_role("button", name="Продолжить")
        self.panel = page.locator('[test-id="sliding_panel"]')
        self.password_heading = page.get_by_role("heading", name="Введите пароль")
        self.password_input = page.get_by_label("Пароль", exact=True)
        self.code_heading = page.get_by_role("heading", name="Введите код из письма")
        self.code_input = page.get_by_label("Код из письма")
        self.submit_button = self.panel.get_by_role("button", name="Войти", exact=True)
        self.error = page.get_by_role("alert").filter(has_text=re.compile(r"\S"))
        self.captcha = page.get_by_role("heading", name="Проверка безопасности")
        self.signed_in_marker = page.get_by_role("link", name="Настройки", exact=True)

    def open(self, next_path: str | None = None) -> None:
        self.page.goto(self.PATH + (f"?next={next_path}" if next_path else ""))

    def is_open(self) -> bool:
        return "/login" in self.page.url

    def identify(self, login: str) -> LoginOutcome:
        """Types the e-mail or phone and continues; returns which second step came."""
        self.captcha.or_(self.login_input).first.wait_for()
        if self.captcha.is_visible():
            return LoginOutcome.CAPTCHA
        self.login_input.fill(login)
        self.continue_button.click()
        self.password_heading.or_(self.code_heading).or_(self.error).or_(self.captcha).first.wait_for()
        return self._classify()

    def submit_password(self, password: str) -> LoginOutcome:
        self.password_input.fill(password)
        return self._submit()

    def submit_code(self, code: str) -> LoginOutcome:
        self.code_input.fill(code)
        return self._submit()

    def _submit(self) -> LoginOutcome:
        self.submit_button.click()
        self.signed_in_marker.or_(self.error).or_(self.captcha).first.wait_for()
        return self._classify()

    def error_text(self) -> str:
        return self.error.first.inner_text().strip() if self.error.count() else ""

    def _classify(self) -> LoginOutcome:
        if self.signed_in_marker.is_visible():
            return LoginOutcome.SIGNED_IN
        if self.captcha.is_visible():
            return LoginOutcome.CAPTCHA
        if self.error.count() and self.error.first.is_visible():
            return LoginOutcome.LOCKED if LOCKED_TEXT in self.error_text() else LoginOutcome.REJECTED
        if self.code_heading.is_visible():
            return LoginOutcome.CODE_STEP
        return LoginOutcome.PASSWORD_STEP
