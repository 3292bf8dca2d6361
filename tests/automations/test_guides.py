"""The guides for the routes beyond the website (automations/guides.py), as data: each route
in Russian and English with its steps in the order OKKO's help gives them, and the mapping
from how a subscription is billed to the guide that cancels it, as `status` and
`disable-auto-renew` word it. Pure: no browser.
"""

from __future__ import annotations

import pytest

from automations.models import Subscription
from automations.guides import (
    GUIDES,
    HOTLINE,
    LANGS,
    ROUTES,
    guide,
    guide_lines,
    store_pointer,
    store_route,
)

# Per route and language: fragments that must appear in the steps, in this order.
IN_ORDER: dict[str, dict[str, list[str]]] = {
    "tv": {
        "ru": ["приложение Okko", "«Настройки»", "«Подписки»", "«Отменить подписку»"],
        "en": ["OKKO app", "«Настройки»", "«Подписки»", "«Отменить подписку»"],
    },
    "android": {
        "ru": ["Google Play", "«Аккаунт»", "«Подписки»", "Okko", "«Отменить подписку»"],
        "en": ["Google Play", "«Аккаунт»", "«Подписки»", "OKKO", "«Отменить подписку»"],
    },
    "ios": {
        "ru": ["«Настройки»", "своё имя", "«Подписки»", "Okko", "«Отменить подписку»", "Подтвердите"],
        "en": ["Settings", "your name", "«Подписки»", "OKKO", "«Отменить подписку»", "Confirm"],
    },
    "app": {
        "ru": ["войдите", "«Настройки»", "«Подписки»", "Okko", "«Отключить»"],
        "en": ["log in", "«Настройки»", "«Подписки»", "OKKO", "«Отключить»"],
    },
    "sberbank": {
        "ru": ["СберБанк Онлайн", "«Платежи и переводы»", "«Мои автоплатежи»", "«Управление платежами»", "Okko",
               "Откажитесь"],
        "en": ["Sberbank Online", "«Платежи и переводы»", "«Мои автоплатежи»", "«Управление платежами»", "OKKO",
               "Decline"],
    },
    "web": {
        "ru": ["okko-cancel login", "«Всё равно отключить»", "okko-cancel disable-auto-renew",
               "«Отвязать карту»", "okko-cancel unbind-card", "okko-cancel sign-out-devices", "okko-cancel cancel"],
        "en": ["okko-cancel login", "«Всё равно отключить»", "okko-cancel disable-auto-renew",
               "«Отвязать карту»", "okko-cancel unbind-card", "okko-cancel sign-out-devices", "okko-cancel cancel"],
    },
    "phone": {
        "ru": [HOTLINE, "круглосуточно", "устройства", "электронную почту", "при регистрации и оплате",
               "номер телефона", "тип подписки"],
        "en": [HOTLINE, "around the clock", "devices", "e-mail used at sign-up and payment", "phone number",
               "subscription type"],
    },
}


def test_every_route_of_the_issue_has_a_guide() -> None:
    assert set(ROUTES) == set(IN_ORDER) == {"tv", "android", "ios", "app", "sberbank", "web", "phone"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("route", list(IN_ORDER))
def test_guide_has_its_steps_in_order(route: str, lang: str) -> None:
    document = guide(route, lang)  # type: ignore[arg-type]
    text = "\n".join(document["steps"])
    position = 0
    for fragment in IN_ORDER[route][lang]:
        found = text.find(fragment, position)
        assert found >= 0, f"{route}/{lang}: {fragment!r} missing or out of order in:\n{text}"
        position = found + len(fragment)
    assert document["title"] and document["command"] == f"okko-cancel guide {route}"


@pytest.mark.parametrize("route", list(IN_ORDER))
def test_russian_and_english_have_the_same_steps(route: str) -> None:
    ru, en = GUIDES[route]["ru"], GUIDES[route]["en"]
    assert len(ru["steps"]) == len(en["steps"]) >= 3
    assert len(ru["notes"]) == len(en["notes"])
    assert any("а" <= ch <= "я" for ch in ru["title"].lower() + "".join(ru["steps"]))


def test_tv_is_the_same_on_every_brand_and_falls_back_to_the_phone() -> None:
    assert any("всех марок" in note for note in GUIDES["tv"]["ru"]["notes"])
    assert any("every TV brand" in note for note in GUIDES["tv"]["en"]["notes"])
    assert any("с телефона" in note and "guide app" in note for note in GUIDES["tv"]["ru"]["notes"])
    assert any("phone" in note and "guide app" in note for note in GUIDES["tv"]["en"]["notes"])


def test_guide_lines_are_numbered() -> None:
    lines = guide_lines("ios", "ru")

    assert lines[0] == "iPhone и iPad: App Store"
    assert [line.split(".")[0] for line in lines[1:7]] == ["1", "2", "3", "4", "5", "6"]


def test_unknown_route_or_language_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        guide("fax")
    with pytest.raises(KeyError):
        guide("tv", "de")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("store", "route"),
    [
        ("app_store", "ios"), ("google_play", "android"), ("sberprime", "sberbank"),  # the site's billing codes
        ("App Store", "ios"), ("Google Play", "android"), ("СберПрайм", "sberbank"),  # the names it shows
        ("Сбер", "sberbank"), ("Huawei AppGallery", None), ("", None), (None, None),
    ],
)
def test_store_route(store: str | None, route: str | None) -> None:
    assert store_route(store) == route


def sub(name: str, store: str | None, hint: str | None) -> Subscription:
    return Subscription(name=name, price="599 ₽/мес", auto_renew=True, next_charge="2025-07-01",
                        active_until="2025-07-01", billed=f"Оплата через {store}" if store else "Оплата картой",
                        store=store, manage_hint=hint)


def test_store_pointer_names_the_guide_command() -> None:
    premium = sub("Премиум", "App Store", "Управляйте подпиской в настройках App Store")

    assert store_pointer(premium) == ("«Премиум» is billed through App Store: Управляйте подпиской в настройках "
                                      "App Store — see `okko-cancel guide ios`")
    assert store_pointer(sub("Лайт", "Google Play", None)) == (
        "«Лайт» is billed through Google Play: cancel it there — see `okko-cancel guide android`")
    assert store_pointer(sub("Премиум", "СберПрайм", "x")).endswith("see `okko-cancel guide sberbank`")
    assert store_pointer(sub("Оптимум", None, None)) is None
    assert "guide" not in (store_pointer(sub("Оптимум", "Huawei AppGallery", None)) or "")
