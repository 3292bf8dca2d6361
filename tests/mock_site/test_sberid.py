"""Browser tests of the Сбер ID stand-in (/sberid/), on every layout: «Вход с помощью Сбер ID»,
the phone field `name=phone`, «Получить код», «Войти по QR-коду» (a placeholder only), the SMS
code in the outbox, the session it opens (method "sber_id") and the way back to `next`;
«Неверный код» and «Номер не найден»; `next` stays on the site.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fixtures import AdminClient
from tests.mock_site.visitor import Visitor

SBER_EMAIL = "sber@okko.test"
SBER_PHONE = "+7 999 555-44-33"

pytestmark = pytest.mark.scenario("sber-id")


def on(layout: str) -> object:
    return pytest.param(layout, marks=[pytest.mark.variant(layout)], id=layout)


def ask_for_code(page: Page, phone: str) -> None:
    page.get_by_label("Номер телефона").fill(phone)
    page.get_by_role("button", name="Получить код").click()


def test_the_page_asks_for_a_phone_and_offers_a_qr_code(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    page.goto("/sberid/authorize?next=/settings/subscriptions")
    expect(page.get_by_role("heading", name="Вход с помощью Сбер ID", level=1)).to_be_visible()
    phone = page.get_by_label("Номер телефона")
    expect(phone).to_have_attribute("name", "phone")
    expect(phone).to_have_attribute("type", "tel")
    expect(page.get_by_role("button", name="Получить код")).to_be_enabled()
    expect(page.get_by_role("img", name="QR-код")).to_have_count(0)

    page.get_by_role("link", name="Войти по QR-коду").click()
    expect(page.get_by_role("img", name="QR-код")).to_be_visible()
    assert site.outbox() == []  # a QR code sends nothing, and signs nobody in
    assert site.account(SBER_EMAIL)["sessions"] == 0


@pytest.mark.parametrize("layout", [on("okko"), on("classic")])
def test_an_sms_code_signs_in_and_goes_back_to_next(
    site: AdminClient, consented_page: Page, base_url: str, layout: str
) -> None:
    page = consented_page
    page.goto("/sberid/authorize?next=/settings/subscriptions")
    ask_for_code(page, "89995554433")
    code = page.get_by_label("Код из СМС")
    expect(code).to_be_visible()
    [message] = site.outbox()
    assert (message["kind"], message["to"]) == ("sms", SBER_PHONE)

    code.fill(site.last_code(SBER_PHONE))
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{base_url}/settings/subscriptions")
    expect(page.get_by_role("article", name="Оптимум")).to_be_visible()  # the account's own data
    [ok] = [e for e in site.events() if e["type"] == "login_ok"]
    assert (ok["account"], ok["method"], ok["device"]) == (SBER_EMAIL, "sber_id", "Chrome, Linux")
    assert site.account(SBER_EMAIL)["sessions"] == 1


def test_a_wrong_code_is_refused(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    page.goto("/sberid/authorize?next=/")
    ask_for_code(page, SBER_PHONE)
    right = site.last_code(SBER_PHONE)
    page.get_by_label("Код из СМС").fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("alert")).to_have_text("Неверный код")
    expect(page.get_by_label("Код из СМС")).to_be_visible()
    assert site.account(SBER_EMAIL)["sessions"] == 0
    assert site.event_types()[-1] == "login_failed"


def test_an_unknown_phone_is_not_found(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    page.goto("/sberid/authorize?next=/")
    ask_for_code(page, "+7 900 000-00-01")
    expect(page.get_by_role("alert")).to_have_text("Номер не найден")
    expect(page.get_by_label("Код из СМС")).to_have_count(0)
    assert site.outbox() == []


def test_next_cannot_leave_the_site(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    visitor.post("/sberid/authorize", data={"phone": SBER_PHONE, "next": "//evil.example/x"})
    response = visitor.post("/sberid/verify", allow_redirects=False,
                            data={"phone": SBER_PHONE, "code": site.last_code(SBER_PHONE), "next": "//evil.example/x"})
    assert response.status_code == 302
    assert re.fullmatch(r"(https?://[^/]+)?/", response.headers["Location"])
    assert visitor.get("/api/v1/me").json()["email"] == SBER_EMAIL
