"""The ways out that are not the website: step-by-step guides for each route OKKO's own help
lists (the TV app, Google Play, the App Store, the OKKO app, auto-payments in СберБанк
Онлайн, the hotline) and for the website itself, in Russian and English.

The texts are data (`GUIDES`: route → language → title, steps, notes); `store_route` maps
how a subscription is billed to the guide that cancels it, and `store_pointer` words the
line that `status` and `disable-auto-renew` print for a store-billed subscription.
"""

from __future__ import annotations

from typing import Any, Literal

from automations.models import Subscription

Lang = Literal["ru", "en"]
LANGS: tuple[Lang, ...] = ("ru", "en")
HOTLINE = "8 800 700 55 33"
COMMAND = "okko-cancel guide"

GUIDES: dict[str, dict[Lang, dict[str, Any]]] = {
    "tv": {
        "ru": {
            "title": "Телевизор: приложение Okko",
            "steps": [
                "Откройте приложение Okko на телевизоре.",
                "Перейдите в «Настройки».",
                "Откройте «Подписки».",
                "Выберите подписку и нажмите «Отменить подписку».",
            ],
            "notes": [
                "Путь одинаковый на телевизорах всех марок (Samsung, LG, Sony, Philips, Xiaomi и других).",
                "Телевизора нет под рукой — отмените подписку с телефона: okko-cancel guide app.",
            ],
        },
        "en": {
            "title": "TV: the OKKO app",
            "steps": [
                "Open the OKKO app on the TV.",
                "Go to «Настройки» (Settings).",
                "Open «Подписки» (Subscriptions).",
                "Choose the subscription and press «Отменить подписку» (Cancel subscription).",
            ],
            "notes": [
                "The path is the same on every TV brand (Samsung, LG, Sony, Philips, Xiaomi and others).",
                "No TV at hand? Cancel from your phone instead: okko-cancel guide app.",
            ],
        },
    },
    "android": {
        "ru": {
            "title": "Android: Google Play",
            "steps": [
                "Откройте Google Play на телефоне или планшете.",
                "Нажмите на значок профиля и откройте «Аккаунт».",
                "Выберите «Подписки».",
                "Найдите в списке Okko.",
                "Нажмите «Отменить подписку» и подтвердите.",
            ],
            "notes": [
                "Войдите в тот аккаунт Google, с которого оформляли подписку.",
                "Подписку, оплаченную через Google Play, отменяют только в Google Play: на сайте Okko кнопки для неё нет.",
            ],
        },
        "en": {
            "title": "Android: Google Play",
            "steps": [
                "Open Google Play on the phone or tablet.",
                "Tap your profile icon and open «Аккаунт» (Account).",
                "Choose «Подписки» (Subscriptions).",
                "Find OKKO in the list.",
                "Tap «Отменить подписку» (Cancel subscription) and confirm.",
            ],
            "notes": [
                "Use the Google account the subscription was taken out with.",
                "A subscription paid through Google Play is cancelled only there: OKKO's website has no button for it.",
            ],
        },
    },
    "ios": {
        "ru": {
            "title": "iPhone и iPad: App Store",
            "steps": [
                "Откройте «Настройки» на iPhone или iPad.",
                "Нажмите на своё имя вверху экрана.",
                "Выберите «Подписки».",
                "Выберите Okko.",
                "Нажмите «Отменить подписку».",
                "Подтвердите отмену.",
            ],
            "notes": [
                "Нужен тот Apple ID, с которого оформлена подписка.",
                "Подписку, оплаченную через App Store, отменяют только в App Store: на сайте Okko кнопки для неё нет.",
            ],
        },
        "en": {
            "title": "iPhone and iPad: App Store",
            "steps": [
                "Open Settings on the iPhone or iPad.",
                "Tap your name at the top.",
                "Choose «Подписки» (Subscriptions).",
                "Choose OKKO.",
                "Tap «Отменить подписку» (Cancel Subscription).",
                "Confirm the cancellation.",
            ],
            "notes": [
                "Use the Apple ID the subscription was taken out with.",
                "A subscription paid through the App Store is cancelled only there: OKKO's website has no button for it.",
            ],
        },
    },
    "app": {
        "ru": {
            "title": "Приложение Okko на телефоне или планшете",
            "steps": [
                "Откройте приложение Okko и войдите в аккаунт.",
                "Перейдите в «Настройки».",
                "Откройте «Подписки».",
                "Выберите подписку Okko.",
                "Нажмите «Отключить».",
            ],
            "notes": [
                "Подписка остаётся активной до конца оплаченного периода.",
            ],
        },
        "en": {
            "title": "The OKKO app on a phone or tablet",
            "steps": [
                "Open the OKKO app and log in.",
                "Go to «Настройки» (Settings).",
                "Open «Подписки» (Subscriptions).",
                "Choose the OKKO subscription.",
                "Tap «Отключить» (Turn off).",
            ],
            "notes": [
                "The subscription stays active until the paid period ends.",
            ],
        },
    },
    "sberbank": {
        "ru": {
            "title": "СберБанк Онлайн: автоплатёж (СберПрайм)",
            "steps": [
                "Откройте СберБанк Онлайн.",
                "Перейдите в «Платежи и переводы».",
                "Откройте «Мои автоплатежи».",
                "Нажмите «Управление платежами».",
                "Выберите автоплатёж Okko.",
                "Откажитесь от автоплатежа (отключите его) и подтвердите.",
            ],
            "notes": [
                "Если Okko входит в подписку СберПрайм, управляйте ею там же, в СберБанк Онлайн.",
            ],
        },
        "en": {
            "title": "Sberbank Online: auto-payment (SberPrime)",
            "steps": [
                "Open Sberbank Online (СберБанк Онлайн).",
                "Go to «Платежи и переводы» (Payments and transfers).",
                "Open «Мои автоплатежи» (My auto-payments).",
                "Tap «Управление платежами» (Manage payments).",
                "Choose the OKKO auto-payment.",
                "Decline the auto-payment (turn it off) and confirm.",
            ],
            "notes": [
                "When OKKO comes with a SberPrime subscription, manage that in Sberbank Online too.",
            ],
        },
    },
    "web": {
        "ru": {
            "title": "Сайт okko.tv (это делает okko-cancel)",
            "steps": [
                "Войти на okko.tv и открыть «Настройки»: okko-cancel login.",
                ("«Подписки» → «Отключить автопродление» → «Всё равно отключить» (предложение «3 месяца за 1 ₽» "
                 "отклоняется) → причина «Другое» → «Отключить»: okko-cancel disable-auto-renew."),
                "«Оплата услуг» → «Отвязать карту» → «Отвязать»: okko-cancel unbind-card.",
                "«Устройства» → «Выйти на всех устройствах»: okko-cancel sign-out-devices.",
                ("Всё сразу: okko-cancel cancel. Каждое изменение проверяется на сайте после перезагрузки, "
                 "квитанция (JSON и снимок экрана) сохраняется."),
            ],
            "notes": [
                "Подписка остаётся активной до конца оплаченного периода.",
                "Вернуть деньги: okko-cancel refund-check. Удалить аккаунт: okko-cancel deletion-request.",
            ],
        },
        "en": {
            "title": "The okko.tv website (what okko-cancel does)",
            "steps": [
                "Log in to okko.tv and open «Настройки» (Settings): okko-cancel login.",
                ("«Подписки» → «Отключить автопродление» → «Всё равно отключить» (the «3 месяца за 1 ₽» offer is "
                 "declined) → reason «Другое» → «Отключить»: okko-cancel disable-auto-renew."),
                "«Оплата услуг» → «Отвязать карту» → «Отвязать»: okko-cancel unbind-card.",
                "«Устройства» → «Выйти на всех устройствах»: okko-cancel sign-out-devices.",
                ("All at once: okko-cancel cancel. Every change is read back from the site after a reload, "
                 "and a receipt (JSON and a screenshot) is kept."),
            ],
            "notes": [
                "The subscription stays active until the paid period ends.",
                "Money back: okko-cancel refund-check. Deleting the account: okko-cancel deletion-request.",
            ],
        },
    },
    "phone": {
        "ru": {
            "title": "Горячая линия Okko",
            "steps": [
                f"Позвоните по номеру {HOTLINE}: круглосуточно, звонок бесплатный.",
                ("Подготовьте: устройства, на которых открыт аккаунт; электронную почту, указанную при регистрации "
                 "и оплате; номер телефона; тип подписки."),
                ("Попросите отключить автопродление, а если положен возврат, вернуть деньги "
                 "(что сказать, подскажет okko-cancel refund-check)."),
            ],
            "notes": [],
        },
        "en": {
            "title": "The OKKO hotline",
            "steps": [
                f"Call {HOTLINE}: around the clock, free of charge.",
                ("Have ready: the devices the account is used on; the e-mail used at sign-up and payment; "
                 "the phone number; the subscription type."),
                ("Ask them to turn auto-renew off and, when a refund is due, to refund the payment "
                 "(okko-cancel refund-check says what to say)."),
            ],
            "notes": [],
        },
    },
}
ROUTES: tuple[str, ...] = tuple(GUIDES)

# How a subscription is billed (the site's billing code) → the guide that cancels it.
STORE_ROUTES: dict[str, str] = {"app_store": "ios", "google_play": "android", "sberprime": "sberbank"}
# The same, by the name the site shows («Оплата через App Store»), normalised by `_key`.
_STORE_NAMES: dict[str, str] = {"appstore": "ios", "googleplay": "android", "сберпрайм": "sberbank"}


def _key(store: str) -> str:
    return "".join(ch for ch in store.casefold() if ch.isalnum())


def store_route(store: str | None) -> str | None:
    """The guide for a store: a billing code (`app_store`) or a shown name («App Store»)."""
    if not store:
        return None
    if store in STORE_ROUTES:
        return STORE_ROUTES[store]
    key = _key(store)
    if key in _STORE_NAMES:
        return _STORE_NAMES[key]
    if "сбер" in key or "sber" in key:
        return "sberbank"
    return None


def guide(route: str, lang: Lang = "ru") -> dict[str, Any]:
    """One route's guide as a JSON-ready document; KeyError for an unknown route or language."""
    text = GUIDES[route][lang]
    return {"route": route, "lang": lang, "title": text["title"], "steps": list(text["steps"]),
            "notes": list(text["notes"]), "command": f"{COMMAND} {route}"}


def guide_lines(route: str, lang: Lang = "ru") -> list[str]:
    """The guide as plain lines: a title, numbered steps, then its notes."""
    document = guide(route, lang)
    lines = [document["title"]]
    lines.extend(f"{number}. {step}" for number, step in enumerate(document["steps"], start=1))
    lines.extend(f"• {note}" for note in document["notes"])
    return lines


def index_lines(lang: Lang = "ru") -> list[str]:
    """Every route with its title: what `okko-cancel guide` with no route prints."""
    lines = [f"{COMMAND} {route:<8}  {GUIDES[route][lang]['title']}" for route in ROUTES]
    return lines


def store_guide_command(subscription: Subscription) -> str | None:
    """`okko-cancel guide ios` for a subscription billed through the App Store; None when
    it is card-billed or the store is not one we have a guide for."""
    if subscription.card_billed:
        return None
    route = store_route(subscription.store)
    return f"{COMMAND} {route}" if route else None


def store_pointer(subscription: Subscription) -> str | None:
    """Where a store-billed subscription is cancelled, naming the guide:
    «Премиум» is billed through App Store: … — see `okko-cancel guide ios`."""
    if subscription.card_billed:
        return None
    line = f"«{subscription.name}» is billed through {subscription.store}: {subscription.manage_hint or 'cancel it there'}"
    command = store_guide_command(subscription)
    return f"{line} — see `{command}`" if command else line
