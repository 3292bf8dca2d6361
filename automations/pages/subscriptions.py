"""«Подписки»: a card per subscription, and the way out of auto-renew.

okko.tv is known to show «Активна» and «Отключить автопродление» (Sber's help); what comes
after the button — a retention offer, a survey, a confirmation, in what order and how many —
is not known, so the flow walks whatever dialogs appear (see flows/auto_renew.py) by the
buttons this table names. There is deliberately no entry for a button that accepts an offer:
an automation must never press one.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from automations.dates import DATE, iso_date
from automations.locators import Find, LocatorTable, Words
from automations.models import Subscription
from automations.pages.settings import SettingsSection, tiles

SUBSCRIPTIONS = LocatorTable("subscriptions", {
    "disable_button": Find(role="button", names=("Отключить автопродление",)),
    "dialog": Find(role="dialog"),
    # In a dialog: what declines an offer and goes on towards cancelling.
    "decline_offer": Find(role="button", names=("Всё равно отключить", "Нет, спасибо", "Отказаться от предложения",
                                                "Продолжить отключение", "Нет, отключить")),
    "survey_answer": Find(role="radio", names=("Другое", "Другая причина")),
    "survey_next": Find(role="button", names=("Продолжить", "Далее", "Отправить")),
    "survey_skip": Find(role="button", names=("Пропустить",)),
    "confirm": Find(role="button", names=("Отключить", "Да, отключить", "Отключить автопродление", "Подтвердить")),
    # Backing out at the confirmation (a dry run): keeps things as they are, at the same price.
    "back_out": Find(role="button", names=("Оставить подписку", "Отмена", "Не отключать")),
    "renewal_off_words": Words(("Автопродление отключено", "Автопродление выключено")),
    "next_charge_words": Words(("Следующее списание", "Следующий платёж", "Списание")),
    "active_until_words": Words(("Активна до", "Действует до")),
    "store_words": Words(("Оплата через",)),
    "manage_hint_words": Words(("Управляйте подпиской",)),
    "no_card_words": Words(("Карта не привязана",)),
})
PRICE = r"(\d[\d\s]*₽(?:/мес|\s*в месяц)?)"


def _search(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1) if match else None


class SubscriptionsPage(SettingsSection):
    TITLES = ("Подписки",)
    PATH = "/settings/subscriptions"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.cards = tiles(page)
        table = SUBSCRIPTIONS
        self.renewal_off = table.words("renewal_off_words")
        controls = (table.locate("decline_offer", page).or_(table.locate("survey_answer", page))
                    .or_(table.locate("survey_next", page)).or_(table.locate("survey_skip", page))
                    .or_(table.locate("confirm", page)).or_(table.locate("back_out", page)))
        # A dialog of the cancel path is one that has a button this table knows (the promo
        # pop-up, say, has none of them).
        self.cancel_dialog = table.locate("dialog", page).filter(has=controls).last

    def card(self, name: str) -> Locator:
        heading = self.page.get_by_role("heading", name=name, exact=True)
        return self.cards.filter(has=heading)

    def names(self) -> list[str]:
        return [c.get_by_role("heading").first.inner_text().strip() for c in self.cards.all()]

    def subscriptions(self) -> list[Subscription]:
        return [self._read(card) for card in self.cards.all()]

    def _read(self, card: Locator) -> Subscription:
        table = SUBSCRIPTIONS
        name = card.get_by_role("heading").first.inner_text().strip()
        text = card.inner_text()
        store = _search(table.words("store_words").pattern() + r" ([^\n]+)", text)
        next_charge = _search(table.words("next_charge_words").pattern() + r"\s+" + DATE, text)
        until = _search(table.words("active_until_words").pattern() + r"\s+" + DATE, text)
        return Subscription(
            name=name,
            price=_search(PRICE, text) or "",
            auto_renew=not self.renewal_off.found_in(text),
            next_charge=iso_date(next_charge, "future"),
            active_until=iso_date(until or next_charge, "future"),
            billed=_search(r"((?:Оплата|Карта не привязана)[^\n]*)", text) or "",
            store=store.strip() if store else None,
            manage_hint=_search(r"(" + table.words("manage_hint_words").pattern() + r"[^\n]+)", text),
        )

    def disable_auto_renew_button(self, name: str) -> Locator:
        return SUBSCRIPTIONS.locate("disable_button", self.card(name))

    def start_disabling(self, name: str) -> None:
        self.reveal(self.card(name), self.disable_auto_renew_button(name)).click()

    def shows_renewal_off(self, name: str) -> Locator:
        """The card's own words that auto-renew is off (not a toast: an earlier one may linger)."""
        return self.card(name).get_by_text(self.renewal_off.regex()).first

    # The dialog's controls, each a verb; none of them accepts an offer.
    def control(self, key: str) -> Locator:
        return SUBSCRIPTIONS.locate(key, self.cancel_dialog).first

    def confirm_disable(self) -> bool:
        return self.submit(self.control("confirm"))
