"""Browser tests of the mock OKKO site's sign-in: the two-step /login page (format check,
password and e-mailed-code steps, social buttons), generic errors, lockout after five
failures, the `next` redirect and its open-redirect guard, phone logins, «Выйти», and the
login-related faults (`captcha`, `session_ttl_s`).

Every test drives a real browser against the real mock server and checks what a person
sees, or what the admin API says changed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import Locator, Page, expect

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient

# This module describes the classic layout (and, where marked, redesign and breaking): it is
# pinned to it, whatever the site's default layout is. The okko layout has its own modules.
pytestmark = pytest.mark.variant("classic")

HEADING = "Войдите или зарегистрируйтесь"
LOGIN_LABEL = "Электронная почта или телефон"
BAD_FORMAT = "Неверный формат"
BAD_CREDENTIALS = "Неверный логин или пароль"
LOCKED = "Слишком много попыток входа. Попробуйте позже."
CODE_EMAIL = "code@okko.test"


# ------------------------------------------------------------------------- helpers


def login_field(page: Page) -> Locator:
    return page.get_by_label(LOGIN_LABEL)


def continue_button(page: Page) -> Locator:
    return page.get_by_role("button", name="Продолжить")


def sliding_panel(page: Page) -> Locator:
    return page.locator('[test-id="sliding_panel"]')


def identify(page: Page, login: str) -> Locator:
    """Step one: type the login and press «Продолжить»; returns the step-two panel."""
    login_field(page).fill(login)
    continue_button(page).click()
    panel = sliding_panel(page)
    expect(panel).to_be_visible()
    return panel


def submit_password(page: Page, password: str) -> None:
    panel = sliding_panel(page)
    panel.get_by_label("Пароль").fill(password)
    panel.get_by_role("button", name="Войти").click()


def api_login(page: Page, login: str, password: str) -> int:
    """A login attempt through the site's own API, sharing the page's cookies."""
    response = page.request.post("/api/v1/auth/login", data={"login": login, "password": password})
    return response.status


def header(page: Page) -> Locator:
    return page.get_by_role("banner")


def expect_signed_in_header(page: Page) -> None:
    expect(header(page).get_by_role("link", name="Настройки")).to_be_visible()
    expect(header(page).get_by_role("link", name="Войти")).to_have_count(0)


# ------------------------------------------------------------------- step one: identify


def test_login_page_opens_with_labelled_field_and_disabled_continue(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    page.goto("/login")
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(login_field(page)).to_have_attribute("test-id", "sign_input")
    expect(page.locator('[test-id="sign_input"]')).to_be_editable()
    expect(page.locator('[test-id="sign_input"]')).to_have_value("")
    expect(continue_button(page)).to_have_attribute("test-id", "continue_btn")
    expect(continue_button(page)).to_be_disabled()


@pytest.mark.parametrize(
    "bad_input",
    [
        "demo",  # neither an e-mail nor a phone
        "demo@okko",  # no domain zone
        "@okko.test",  # no mailbox
        "12345",  # too short for a phone
        "8999123456789",  # too long for a phone
    ],
)
def test_bad_format_keeps_continue_disabled_and_says_so(
    site: AdminClient, consented_page: Page, bad_input: str
) -> None:
    page = consented_page
    page.goto("/login")
    login_field(page).fill(bad_input)
    expect(continue_button(page)).to_be_disabled()
    login_field(page).press("Tab")  # leaving the field shows the verdict
    expect(page.get_by_text(BAD_FORMAT)).to_be_visible()


@pytest.mark.parametrize(
    "good_input",
    [DEMO_EMAIL, "+7 999 123-45-67", "89991234567"],
    ids=["email", "phone-plus7", "phone-8"],
)
def test_email_or_phone_enables_continue(site: AdminClient, consented_page: Page, good_input: str) -> None:
    page = consented_page
    page.goto("/login")
    login_field(page).fill(good_input)
    expect(continue_button(page)).to_be_enabled()
    login_field(page).press("Tab")
    expect(page.get_by_text(BAD_FORMAT)).to_have_count(0)


def test_continue_slides_in_the_password_step(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    page.goto("/login")
    expect(sliding_panel(page)).to_be_hidden()
    panel = identify(page, DEMO_EMAIL)
    expect(panel.get_by_role("heading", name="Введите пароль")).to_be_visible()
    expect(panel.get_by_label("Пароль")).to_be_focused()
    expect(page.get_by_role("heading", name=HEADING)).to_be_hidden()


def test_social_login_buttons_are_shown(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    page.goto("/login")
    for provider in ["Сбер ID", "VK", "Яндекс"]:
        expect(page.get_by_role("button", name=provider, exact=True)).to_be_visible()


# ------------------------------------------------------------- failures and lockout


@pytest.mark.parametrize(
    ("login", "password"),
    [(DEMO_EMAIL, "wrong-password"), ("nobody@okko.test", DEMO_PASSWORD)],
    ids=["wrong-password", "unknown-account"],
)
def test_failed_login_shows_generic_error_and_is_logged(
    site: AdminClient, consented_page: Page, login: str, password: str
) -> None:
    page = consented_page
    page.goto("/login")
    identify(page, login)  # unknown accounts get the password step too
    submit_password(page, password)
    expect(sliding_panel(page).get_by_role("alert")).to_have_text(BAD_CREDENTIALS)
    expect(page).to_have_url(re.compile(r"/login$"))
    failures = [e for e in site.events() if e["type"] == "login_failed"]
    assert [e["account"] for e in failures] == [login]
    assert "login_ok" not in site.event_types()


def test_fifth_failure_locks_the_account_even_for_the_right_password(
    site: AdminClient, consented_page: Page
) -> None:
    page = consented_page
    # Four failures through the API (fast), the fifth through the form.
    for _ in range(4):
        assert api_login(page, DEMO_EMAIL, "wrong-password") == 401
    assert site.account()["failed_logins"] == 4
    page.goto("/login")
    identify(page, DEMO_EMAIL)
    submit_password(page, "wrong-password")
    alert = sliding_panel(page).get_by_role("alert")
    expect(alert).to_have_text(LOCKED)

    with page.expect_response("**/api/v1/auth/login") as answer:
        submit_password(page, DEMO_PASSWORD)
    assert answer.value.status == 423
    expect(alert).to_have_text(LOCKED)
    expect(page).to_have_url(re.compile(r"/login$"))

    assert site.account()["locked"] is True
    types = site.event_types()
    assert types.count("login_failed") == 5
    assert "locked" in types
    assert "login_ok" not in types


def test_four_failures_do_not_lock(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    for _ in range(4):
        assert api_login(page, DEMO_EMAIL, "wrong-password") == 401
    assert api_login(page, DEMO_EMAIL, DEMO_PASSWORD) == 200
    assert site.account()["locked"] is False
    assert "locked" not in site.event_types()


def test_locked_account_is_stopped_at_the_first_step(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    for _ in range(5):
        api_login(page, DEMO_EMAIL, "wrong-password")
    assert site.account()["locked"] is True
    page.goto("/login")
    login_field(page).fill(DEMO_EMAIL)
    continue_button(page).click()
    expect(page.get_by_text(LOCKED)).to_be_visible()
    expect(sliding_panel(page)).to_be_hidden()
    assert api_login(page, DEMO_EMAIL, DEMO_PASSWORD) == 423


# -------------------------------------------------------------------- success


@pytest.mark.parametrize(
    ("login_url", "landing"),
    [
        ("/login?next=/settings/devices", "/settings/devices"),
        ("/login", "/"),
        ("/login?next=//evil.example", "/"),
    ],
    ids=["next", "no-next", "open-redirect"],
)
def test_successful_login_goes_to_safe_next(
    site: AdminClient, consented_page: Page, base_url: str, login_url: str, landing: str
) -> None:
    page = consented_page
    page.goto(login_url)
    identify(page, DEMO_EMAIL)
    submit_password(page, DEMO_PASSWORD)
    expect(page).to_have_url(f"{base_url}{landing}")
    expect_signed_in_header(page)


@pytest.mark.parametrize("phone", ["+7 999 123-45-67", "89991234567"])
def test_phone_login_reaches_password_step_and_signs_in(
    site: AdminClient, consented_page: Page, base_url: str, phone: str
) -> None:
    page = consented_page
    page.goto("/login")
    panel = identify(page, phone)
    expect(panel.get_by_role("heading", name="Введите пароль")).to_be_visible()
    submit_password(page, DEMO_PASSWORD)
    expect(page).to_have_url(f"{base_url}/")
    expect_signed_in_header(page)
    assert [e["account"] for e in site.events() if e["type"] == "login_ok"] == [DEMO_EMAIL]


# ----------------------------------------------------------------- code login


@pytest.mark.scenario("code-login")
def test_code_login_asks_for_the_emailed_code(site: AdminClient, consented_page: Page, base_url: str) -> None:
    page = consented_page
    page.goto("/login")
    panel = identify(page, CODE_EMAIL)
    expect(panel.get_by_role("heading", name="Введите код из письма")).to_be_visible()
    expect(panel.get_by_text(f"Мы отправили письмо на {CODE_EMAIL}")).to_be_visible()
    expect(panel.get_by_label("Пароль")).to_be_hidden()

    panel.get_by_label("Код из письма").fill(site.last_code(CODE_EMAIL))
    panel.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{base_url}/")
    expect_signed_in_header(page)
    ok = [e for e in site.events() if e["type"] == "login_ok"]
    assert [(e["account"], e["method"]) for e in ok] == [(CODE_EMAIL, "code")]


@pytest.mark.scenario("code-login")
def test_wrong_code_shows_generic_error(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    page.goto("/login")
    panel = identify(page, CODE_EMAIL)
    expect(panel.get_by_role("heading", name="Введите код из письма")).to_be_visible()
    wrong = f"{(int(site.last_code(CODE_EMAIL)) + 1) % 1_000_000:06d}"
    panel.get_by_label("Код из письма").fill(wrong)
    panel.get_by_role("button", name="Войти").click()
    expect(panel.get_by_role("alert")).to_have_text(BAD_CREDENTIALS)
    assert "login_ok" not in site.event_types()
    assert [e["account"] for e in site.events() if e["type"] == "login_failed"] == [CODE_EMAIL]


# --------------------------------------------------------------------- logout


def test_logout_signs_out_and_returns_home(site: AdminClient, signed_in_page: Page, base_url: str) -> None:
    page = signed_in_page
    page.goto("/settings/profile")
    assert site.account()["sessions"] == 1
    with page.expect_request(lambda r: r.url.endswith("/logout")) as logout:
        page.get_by_role("button", name="Выйти").click()
    assert logout.value.method == "POST"
    expect(page).to_have_url(f"{base_url}/")
    expect(header(page).get_by_role("link", name="Войти")).to_be_visible()
    expect(header(page).get_by_role("link", name="Настройки")).to_have_count(0)
    assert site.account()["sessions"] == 0


# --------------------------------------------------------------------- faults


def captcha_answer(page: Page) -> str:
    """Reads the challenge as a person would: the characters drawn in the SVG's <text>
    elements, fetched within the page's context (same cookie, so the same challenge)."""
    response = page.request.get("/login/captcha.svg")
    assert response.ok
    root = ET.fromstring(response.text())
    return "".join(node.text or "" for node in root.iter("{http://www.w3.org/2000/svg}text"))


def test_captcha_replaces_the_login_form(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    site.set_faults(captcha=True)
    page.goto("/login")
    challenge = page.locator('[test-id="captcha"]')
    expect(challenge.get_by_role("heading", name="Проверка безопасности")).to_be_visible()
    expect(challenge.get_by_label("Символы с картинки")).to_be_visible()
    expect(page.get_by_role("heading", name=HEADING)).to_have_count(0)
    expect(page.locator('[test-id="sign_input"]')).to_have_count(0)


def test_captcha_makes_the_login_api_refuse(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    site.set_faults(captcha=True)
    for endpoint in ["/api/v1/auth/start", "/api/v1/auth/login"]:
        response = page.request.post(endpoint, data={"login": DEMO_EMAIL, "password": DEMO_PASSWORD})
        assert response.status == 403, endpoint
        assert response.json()["error"] == "captcha"
    assert "login_ok" not in site.event_types()


def test_person_reading_the_captcha_unlocks_the_login(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    site.set_faults(captcha=True)
    page.goto("/login?next=/settings/devices")
    answer = captcha_answer(page)
    assert re.fullmatch(r"[A-Z2-9]{5}", answer), answer
    page.get_by_label("Символы с картинки").fill(answer.lower())  # as typed by a person
    page.get_by_role("button", name="Проверить").click()
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(page.locator('[test-id="captcha"]')).to_have_count(0)
    assert api_login(page, DEMO_EMAIL, DEMO_PASSWORD) == 200


def test_wrong_captcha_answer_shows_an_error(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    site.set_faults(captcha=True)
    page.goto("/login")
    page.get_by_label("Символы с картинки").fill("00000")  # 0 is never in a challenge
    page.get_by_role("button", name="Проверить").click()
    challenge = page.locator('[test-id="captcha"]')
    expect(challenge.get_by_role("alert")).to_have_text("Символы введены неверно. Попробуйте ещё раз.")
    expect(page.locator('[test-id="sign_input"]')).to_have_count(0)
    assert api_login(page, DEMO_EMAIL, DEMO_PASSWORD) == 403


def test_expired_session_sends_visitor_to_login(site: AdminClient, signed_in_page: Page, base_url: str) -> None:
    page = signed_in_page
    site.set_faults(session_ttl_s=0)
    page.goto("/settings/subscriptions")
    expect(page).to_have_url(re.compile(re.escape(f"{base_url}/login?next=") + r"(/|%2F)settings(/|%2F)subscriptions$"))
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    assert "session_expired" in site.event_types()
