"""Tests of the `captcha` fault on the `okko` layout: an anti-bot page under /xpvnsulc/ (as
okko.tv's ServicePipe protection) before every HTML page, «Проверка браузера», the answer
going back to the page asked for; the API, static files and the admin API untouched; the
classic layout keeping its CAPTCHA on /login.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import Page, expect

from fixtures import DEMO_EMAIL, AdminClient
from tests.mock_site.visitor import Visitor

pytestmark = pytest.mark.variant("okko")

WRONG = "Символы введены неверно. Попробуйте ещё раз."


def challenge_answer(page: Page) -> str:
    """Reads the picture as a person would: the characters drawn in its SVG <text> elements,
    fetched with the page's cookies (so the same challenge)."""
    src = page.get_by_role("main").locator("img").first.get_attribute("src")
    assert src
    response = page.request.get(src)
    assert response.ok
    root = ET.fromstring(response.text())
    return "".join(node.text or "" for node in root.iter("{http://www.w3.org/2000/svg}text"))


def test_a_page_redirects_to_the_block_page(site: AdminClient, consented_page: Page, base_url: str) -> None:
    page = consented_page
    site.set_faults(captcha=True)
    page.goto("/movies?sort=new")
    expect(page).to_have_url(re.compile(re.escape(f"{base_url}/xpvnsulc/?back=") + r".+"))
    expect(page.get_by_role("heading", name="Проверка браузера", level=1)).to_be_visible()
    expect(page.get_by_text("Подтвердите, что вы не робот")).to_be_visible()
    expect(page.get_by_role("main").locator("img")).to_be_visible()
    expect(page.get_by_label("Символы с картинки")).to_be_editable()
    expect(page.get_by_role("heading", name="Фильмы")).to_have_count(0)


def test_the_right_answer_goes_back_to_the_page_asked_for(
    site: AdminClient, consented_page: Page, base_url: str
) -> None:
    page = consented_page
    site.set_faults(captcha=True)
    page.goto("/movies?sort=new")
    answer = challenge_answer(page)
    assert re.fullmatch(r"[A-Z2-9]{5}", answer), answer
    page.get_by_label("Символы с картинки").fill(answer.lower())
    page.get_by_role("button", name="Проверить").click()
    expect(page).to_have_url(f"{base_url}/movies?sort=new")
    expect(page.get_by_role("heading", name="Фильмы")).to_be_visible()

    page.goto("/login")  # solved once: the other pages open too
    expect(page.get_by_role("heading", name="Войдите или зарегистрируйтесь")).to_be_visible()


def test_a_wrong_answer_says_so_and_stays(site: AdminClient, consented_page: Page) -> None:
    page = consented_page
    site.set_faults(captcha=True)
    page.goto("/login")
    page.get_by_label("Символы с картинки").fill("00000")  # 0 is never in a challenge
    page.get_by_role("button", name="Проверить").click()
    expect(page.get_by_role("alert")).to_have_text(WRONG)
    expect(page.get_by_role("heading", name="Проверка браузера")).to_be_visible()
    page.goto("/login")
    expect(page).to_have_url(re.compile(r"/xpvnsulc/"))


def test_the_back_path_stays_on_the_site(site: AdminClient) -> None:
    site.set_faults(captcha=True)
    visitor = Visitor(site.base_url)
    visitor.get("/xpvnsulc/?back=//evil.example/")
    response = visitor.post("/xpvnsulc/", data={"answer": "00000", "back": "https://evil.example/"})
    assert response.status_code == 400
    # The hidden field carries the safe path, not the foreign one.
    assert 'name="back" value="/"' in response.text


def test_api_static_and_admin_are_not_covered(site: AdminClient) -> None:
    site.set_faults(captcha=True)
    visitor = Visitor(site.base_url)
    for path in ("/settings/general", "/", "/login?next=/settings/devices"):
        page = visitor.get(path, allow_redirects=False)
        assert page.status_code == 302, path
        assert page.headers["Location"].split("?")[0].endswith("/xpvnsulc/"), path
    assert visitor.get("/api/v1/me", allow_redirects=False).status_code == 401
    assert visitor.post("/api/v1/auth/start", json={"login": DEMO_EMAIL}).status_code == 403  # as before
    assert visitor.get("/static/style.css", allow_redirects=False).status_code == 200
    assert visitor.get("/sberid/authorize", allow_redirects=False).status_code == 200
    assert visitor.get("/__admin/state", allow_redirects=False).status_code == 200


@pytest.mark.variant("classic")
def test_classic_keeps_its_captcha_on_the_login_page(site: AdminClient, consented_page: Page, base_url: str) -> None:
    page = consented_page
    site.set_faults(captcha=True)
    page.goto("/movies")
    expect(page).to_have_url(f"{base_url}/movies")
    page.goto("/login")
    expect(page).to_have_url(f"{base_url}/login")
    expect(page.get_by_role("heading", name="Проверка безопасности")).to_be_visible()


def test_without_the_fault_there_is_no_block_page(site: AdminClient, consented_page: Page, base_url: str) -> None:
    page = consented_page
    page.goto("/movies")
    expect(page).to_have_url(f"{base_url}/movies")
    assert Visitor(site.base_url).get("/xpvnsulc/").status_code == 200  # the page itself exists, unused
