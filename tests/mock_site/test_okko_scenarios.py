"""Tests of the scenarios added with the `okko` layout, through the admin API and the pages:
`sber-id` (an account on Сбер ID only), `masks` (four card masks), `twins` (a second
«Chrome, Linux») and `big` (20 subscriptions, 8 cards, 5 devices, two years of payments).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from fixtures import DEMO_EMAIL, AdminClient
from tests.mock_site.visitor import Visitor

BIG = "big@okko.test"


def test_sber_id_seeds_an_account_on_sber_id_only(site: AdminClient) -> None:
    site.reset("sber-id", "okko")
    [account] = site.state()["accounts"]
    assert (account["email"], account["phone"], account["login_method"]) == (
        "sber@okko.test", "+7 999 555-44-33", "sber_id")
    assert [c["label"] for c in account["cards"]] == ["Visa •••• 4242"]
    [sub] = account["subscriptions"]
    assert (sub["name"], sub["billing"], sub["auto_renew"]) == ("Оптимум", "card", True)
    assert len(account["devices"]) == 2
    assert len(account["payments"]) >= 2
    refused = Visitor(site.base_url).post("/api/v1/auth/login", json={"login": "sber@okko.test", "password": "x"})
    assert refused.status_code == 401


def test_masks_seeds_four_cards_masked_four_ways(site: AdminClient) -> None:
    site.reset("masks", "classic")
    account = site.account("masks@okko.test")
    assert [(c["label"], c["primary"]) for c in account["cards"]] == [
        ("Visa •••• 4242", True), ("Mastercard •• 5454", False), ("МИР **** 2202", False), ("Visa *1111", False)]
    [sub] = account["subscriptions"]
    assert (sub["name"], sub["card"]) == ("Оптимум", "Visa •••• 4242")
    assert {p["card"] for p in account["payments"]} == {"Visa •••• 4242"}


def test_twins_is_default_with_a_second_chrome_on_linux(site: AdminClient) -> None:
    site.reset("default", "okko")
    default = site.account(DEMO_EMAIL)
    site.reset("twins", "okko")
    twins = site.account(DEMO_EMAIL)
    assert sorted((d["name"], d["kind"]) for d in twins["devices"]) == [
        ("Chrome, Linux", "Компьютер"), ("Chrome, Windows", "Компьютер"), ("Samsung Smart TV", "Телевизор"),
        ("iPhone 13", "Смартфон")]
    assert [c["label"] for c in twins["cards"]] == [c["label"] for c in default["cards"]]
    assert [s["name"] for s in twins["subscriptions"]] == [s["name"] for s in default["subscriptions"]]


def test_big_seeds_a_large_account(site: AdminClient) -> None:
    site.reset("big", "classic")
    account = site.account(BIG)
    subs = account["subscriptions"]
    assert len(subs) == 20
    assert len({s["name"] for s in subs}) == 20  # each can be named on its own
    assert set(Counter(s["billing"] for s in subs)) == {"card", "app_store", "google_play", "sberprime"}
    assert {s["auto_renew"] for s in subs} == {True, False}
    assert len(account["cards"]) == 8
    assert {c["label"].split()[1][:1] for c in account["cards"]} >= {"•", "*"}
    assert len(account["devices"]) == 5
    days = sorted(date.fromisoformat(p["date"]) for p in account["payments"])
    assert (days[-1] - days[0]).days >= 22 * 30  # about two years, month by month
    Visitor(site.base_url).login(BIG)  # the demo password


@pytest.mark.scenario("big")
@pytest.mark.variant("okko")
@pytest.mark.parametrize("okko_login", [BIG])
def test_big_account_pages_show_everything(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/settings/subscriptions")
    expect(page.get_by_role("main").get_by_role("article")).to_have_count(20)
    expect(page.get_by_role("main").get_by_role("button", name="Отключить автопродление")).not_to_have_count(0)
    page.goto("/settings/payments")
    cards = page.get_by_role("region", name="Мои банковские карты")
    expect(cards.get_by_role("article")).to_have_count(8)
    expect(cards.get_by_role("button", name="Отвязать", exact=True)).to_have_count(8)
    page.goto("/settings/devices")
    for name in ("Samsung Smart TV", "iPhone 13", "Chrome, Windows", "iPad Air", "LG Smart TV"):
        expect(page.get_by_role("main").get_by_role("listitem", name=name, exact=True)).to_be_visible()
