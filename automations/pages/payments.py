"""«Оплата услуг»: the bound cards, each unbound from its own tile, and the payment history.

okko.tv (a copy, ~2025-01; the vendor's help) shows «Информация о счёте», «Мои банковские карты»
and «Добавить карту» here, and the card is unbound in this section. How the card number is masked
and what the unbind button and its dialog say are not known: a card is matched by its last four
digits however it is masked, and the button by any of the names below.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from automations.dates import MASKED_CARD, iso_date, masked_card_pattern
from automations.locators import Find, LocatorTable, Words
from automations.models import Card
from automations.pages.settings import SettingsSection, tiles

PAYMENTS = LocatorTable("payments", {
    "unbind_button": Find(role="button", names=("Отвязать", "Отвязать карту", "Удалить карту", "Удалить")),
    "unbind_dialog": Find(role="dialog", names=("Отвязать карту?", "Удалить карту?")),
    "confirm_unbind": Find(role="button", names=("Отвязать", "Удалить", "Да, отвязать")),
    "cancel_unbind": Find(role="button", names=("Отмена", "Не отвязывать")),
    "history": Find(role="table"),
    "no_cards_words": Words(("Нет привязанных карт", "У вас нет привязанных карт", "Нет сохранённых карт")),
    "primary_words": Words(("Основная",)),
})


class PaymentsPage(SettingsSection):
    TITLES = ("Оплата услуг",)
    PATH = "/settings/payments"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.no_cards = page.get_by_text(PAYMENTS.words("no_cards_words").regex()).first
        # A card's tile is the one that shows a masked card number.
        self.tiles = tiles(page).filter(has_text=MASKED_CARD)
        self.unbind_dialog = PAYMENTS.locate("unbind_dialog", page)
        self.history = PAYMENTS.locate("history", page)

    def cards(self) -> list[Card]:
        cards = []
        for tile in self.tiles.all():
            text = tile.inner_text()
            line = next((line.strip() for line in text.splitlines() if MASKED_CARD.search(line)), None)
            if line:
                cards.append(Card(label=line, primary=PAYMENTS.words("primary_words").found_in(text)))
        return cards

    def card(self, last4: str) -> Locator:
        """The tile of the card ending in `last4`, however its number is masked."""
        return self.tiles.filter(has_text=masked_card_pattern(last4))

    def unbind_button(self, last4: str) -> Locator:
        return PAYMENTS.locate("unbind_button", self.card(last4))

    def start_unbinding(self, last4: str) -> None:
        self.reveal(self.card(last4), self.unbind_button(last4)).click()
        self.unbind_dialog.wait_for()

    def confirm_unbind(self) -> bool:
        return self.submit(PAYMENTS.locate("confirm_unbind", self.unbind_dialog).first)

    def cancel_unbind(self) -> None:
        PAYMENTS.locate("cancel_unbind", self.unbind_dialog).first.click()

    def payments(self) -> list[dict[str, str]]:
        rows = self.history.get_by_role("row").all()[1:]
        result = []
        for row in rows:
            cells = [c.inner_text().strip() for c in row.get_by_role("cell").all()]
            if len(cells) == 4:
                result.append({"date": iso_date(cells[0], "past") or "", "description": cells[1],
                               "amount": cells[2], "status": cells[3]})
        return result

