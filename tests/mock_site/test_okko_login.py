"""Browser tests of the `okko` layout's sign-in, after the evidence of okko.tv: «Войти» by its
test-id, the login field known only by `sign_input` (no label) with «Неверный формат» right
after it, `continue_btn` disabled until the login looks valid, the five social buttons by
test-id, and step two in `sliding_panel`: a code by e-mail or SMS, no submit button (six
digits send it, Enter too), «Неверный код», «Отправить код ещё раз», and Сбер ID accounts
sent to Сбер ID.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from fixtures import DEMO_EMAIL, AdminClient
from tests.mock_site.okko_support import WRONG_CODE, code_field, header, other_code, sliding_panel

pytestmark = pytest.mark.variant("okko")

HEADING = "Войдите или зарегистрируйтесь"
DEMO_PHONE = "+7 999 123-45-67"
SOCIAL = {"sign_sber": "Сбер ID", "sign_vk": "VK ID", "sign_google": "Google", "sign_yandex": "Яндекс ID",
          "sign_ok": "Одноклассники"}


def login_input(page: Page) -> Locator:
    return page.locator('[test-id="sign_input"]')


def continue_button(page: Page) -> Locator:
    return page.locator('[test-id="continue_btn"]')


def identify(page: Page, login: str) -> Locator:
    login_input(page).fill(login)
    continue_button(page).click()
    panel = sliding_panel(page)
    expect(panel).to_be_visible()
    return panel


def expect_signed_in(page: Page) -> None:
    expect(header(page).get_by_role("button", name="Профиль")).to_be_visible()
    expect(page.locator('[test-id="nav_sign"]')).to_have_count(0)


def test_header_sign_in_link_is_found_by_its_test_id(site: AdminClient, consented_page: Page, base_url: str) -> None:
    page = consented_page
    page.goto("/")
    sign_in = page.locator('[test-id="nav_sign"]')
    expect(sign_in).to_have_text("Войти")
    sign_in.click()
    expect(page).to_have_url(f"{base_url}/login")
    expect(page.get_by_role("heading", name=HEADING, level=1)).to_be_visible()


def test_login_field_has_no_label_and_continue_waits_for_a_valid_login(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    page.goto("/login")
    field = login_input(page)
    expect(field).to_have_attribute("placeholder", "Электронная почта или телефон")
    expect(page.get_by_label("Электронная почта или телефон")).to_have_count(0)  # a placeholder is no label
    expect(field).to_have_accessible_name("Электронная почта или телефон")  # what the placeholder gives it
    expect(continue_button(page)).to_have_text("Продолжить")
    expect(continue_button(page)).to_be_disabled()

    field.fill("demo@okko")
    field.press("Tab")
    expect(continue_button(page)).to_be_disabled()
    after_input = page.locator('[test-id="sign_input"] + *')  # the element right after the field
    expect(after_input).to_have_text("Неверный формат")
    expect(after_input).to_have_attribute("role", "alert")

    for valid in (DEMO_EMAIL, DEMO_PHONE, "89991234567"):
        field.fill(valid)
        expect(continue_button(page)).to_be_enabled()
        expect(after_input).to_be_hidden()


def test_email_login_gets_an_emailed_code_that_signs_in_once_typed(
    site: AdminClient, consented_page: Page, base_url: str
) -> None:
    page = consented_page
    page.goto("/login?next=/settings/devices")
    panel = identify(page, DEMO_EMAIL)
    expect(panel.get_by_role("heading", name="Введите код из письма")).to_be_visible()
    expect(panel).to_contain_text(f"Мы отправили письмо на {DEMO_EMAIL}")
    expect(panel.get_by_label(re.compile("Код|Пароль"))).to_have_count(0)
    expect(panel.get_by_role("button", name=re.compile("^(Войти|Продолжить)$"))).to_have_count(0)
    [message] = site.outbox()
    assert (message["kind"], message["to"]) == ("email", DEMO_EMAIL)

    code_field(page).press_sequentially(message["code"])  # no button: the sixth digit sends it
    expect(page).to_have_url(f"{base_url}/settings/devices")
    expect_signed_in(page)
    assert [(e["account"], e["method"]) for e in site.events() if e["type"] == "login_ok"] == [(DEMO_EMAIL, "code")]


def test_phone_login_gets_an_sms_code(site: AdminClient, consented_page: Page, base_url: str) -> None:
    page = consented_page
    page.goto("/login")
    panel = identify(page, "8 999 123 45 67")
    expect(panel.get_by_role("heading", name="Введите код из СМС")).to_be_visible()
    expect(panel).to_contain_text(f"Мы отправили СМС на {DEMO_PHONE}")
    [message] = site.outbox()
    assert (message["kind"], message["to"]) == ("sms", DEMO_PHONE)

    code_field(page).fill(site.last_code(DEMO_PHONE))
    expect(page).to_have_url(f"{base_url}/")
    expect_signed_in(page)


def test_wrong_code_says_so_and_enter_sends_the_field_again(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    page.goto("/login")
    panel = identify(page, DEMO_EMAIL)
    expect(panel.get_by_role("heading", name="Введите код из письма")).to_be_visible()
    code_field(page).fill(other_code(site.last_code(DEMO_EMAIL)))
    expect(panel.get_by_role("alert")).to_have_text(WRONG_CODE)
    assert site.event_types().count("login_failed") == 1

    with page.expect_response("**/api/v1/auth/login") as again:
        code_field(page).press("Enter")
    assert again.value.status == 401
    expect(panel.get_by_role("alert")).to_have_text(WRONG_CODE)
    assert site.event_types().count("login_failed") == 2
    assert "login_ok" not in site.event_types()


def test_resend_sends_a_new_code_that_works(site: AdminClient, consented_page: Page, base_url: str) -> None:
    page = consented_page
    page.goto("/login")
    panel = identify(page, DEMO_EMAIL)
    expect(panel.get_by_role("heading", name="Введите код из письма")).to_be_visible()
    with page.expect_response("**/api/v1/auth/start") as resent:
        panel.get_by_role("button", name="Отправить код ещё раз").click()
    assert resent.value.ok
    assert [m["to"] for m in site.outbox()] == [DEMO_EMAIL, DEMO_EMAIL]
    code_field(page).fill(site.last_code(DEMO_EMAIL))  # the second code: the first is void
    expect(page).to_have_url(f"{base_url}/")
    expect_signed_in(page)


def test_social_buttons_carry_the_real_test_ids(site: AdminClient, consented_page: Page, base_url: str) -> None:
    page = consented_page
    page.goto("/login?next=/settings/payments")
    for test_id, text in SOCIAL.items():
        button = page.locator(f'[test-id="{test_id}"]')
        expect(button).to_have_text(text)
        expect(button).to_have_attribute("type", "button")
        if test_id != "sign_sber":
            expect(button).to_have_attribute("aria-disabled", "true")
    expect(page.locator('[test-id="sign_sber"]')).not_to_have_attribute("aria-disabled", "true")

    page.locator('[test-id="sign_sber"]').click()
    expect(page).to_have_url(re.compile(re.escape(f"{base_url}/sberid/authorize?next=") + r"(/|%2F)settings(/|%2F)payments$"))
    expect(page.get_by_role("heading", name="Вход с помощью Сбер ID")).to_be_visible()


@pytest.mark.scenario("sber-id")
def test_sber_id_account_is_sent_to_sber_id(site: AdminClient, consented_page: Page, base_url: str) -> None:
    page = consented_page
    page.goto("/login?next=/settings/subscriptions")
    panel = identify(page, "sber@okko.test")
    expect(panel.get_by_role("heading", name="Войдите через Сбер ID")).to_be_visible()
    expect(panel.get_by_text("Этот аккаунт входит через Сбер ID")).to_be_visible()
    expect(code_field(page)).to_be_hidden()
    assert site.outbox() == []

    panel.get_by_role("button", name="Войти через Сбер ID").click()
    expect(page).to_have_url(re.compile(re.escape(f"{base_url}/sberid/authorize?next=") + r".*subscriptions$"))
    expect(page.get_by_role("heading", name="Вход с помощью Сбер ID")).to_be_visible()


def test_unknown_login_gets_the_same_code_step_and_nothing_is_sent(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    page.goto("/login")
    panel = identify(page, "nobody@okko.test")
    expect(panel.get_by_role("heading", name="Введите код из письма")).to_be_visible()
    expect(panel).to_contain_text("Мы отправили письмо на nobody@okko.test")
    assert site.outbox() == []
