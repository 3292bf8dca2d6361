"""«Мои устройства»: a row per device, each unlinked from its own row.

okko.tv (a copy, ~2025-01) shows «N из 5», and per device its name and either «Текущее
устройство» or «13 января · Смартфон» (no year), with «Отвязать» on every row — the current
one's too, and unlinking that one ends the session. Names repeat (two «Chrome, Linux»), so a
device is told apart by its row, never by its name, and the row marked current is never
unlinked. Our first design's «Отключить» and «Выйти на всех устройствах» stay as alternatives.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from automations.dates import iso_date
from automations.locators import Find, LocatorTable, Words
from automations.models import Device
from automations.pages.settings import SettingsSection

DEVICES = LocatorTable("devices", {
    "unlink_button": Find(role="button", names=("Отвязать", "Отключить")),
    "unlink_dialog": Find(role="dialog", names=("Отвязать устройство?", "Отключить устройство?")),
    "confirm_unlink": Find(role="button", names=("Отвязать", "Отключить")),
    "cancel": Find(role="button", names=("Отмена",)),
    "sign_out_all": Find(role="button", names=("Выйти на всех устройствах",)),
    "sign_out_all_dialog": Find(role="dialog", names=("Выйти на всех устройствах?",)),
    "confirm_sign_out_all": Find(role="button", names=("Выйти",)),
    "current_words": Words(("Текущее устройство", "Это устройство", "это устройство")),
})
COUNTER = re.compile(r"^\d+ из \d+$")


class DevicesPage(SettingsSection):
    TITLES = ("Мои устройства", "Устройства")
    PATH = "/settings/devices"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        main = page.get_by_role("main")
        current = page.get_by_text(DEVICES.words("current_words").regex())
        # A device's row: a list item or table row with a way to unlink it or the current mark.
        self.rows = main.get_by_role("listitem").or_(main.get_by_role("row")).filter(
            has=DEVICES.locate("unlink_button", page).or_(current))
        self.counter = page.get_by_text(COUNTER)
        self.sign_out_all_button = DEVICES.locate("sign_out_all", page).first
        self.sign_out_all_dialog = DEVICES.locate("sign_out_all_dialog", page)
        self.unlink_dialog = DEVICES.locate("unlink_dialog", page)

    def devices(self) -> list[Device]:
        return [self._read(row.inner_text()) for row in self.rows.all()]

    @staticmethod
    def _read(text: str) -> Device:
        lines = [line.strip() for line in re.split(r"[\n\t]", text.strip()) if line.strip()]
        kind = next((line.split("·", 1)[1].strip() for line in lines if "·" in line), None)
        return Device(
            # The name leads the row in every layout (a line, or the first cell).
            name=lines[0] if lines else "",
            last_seen=iso_date(text, "past"),
            current=DEVICES.words("current_words").found_in(text),
            kind=kind,
        )

    def row(self, index: int) -> Locator:
        return self.rows.nth(index)

    def has_bulk_sign_out(self) -> bool:
        return self.sign_out_all_button.is_visible()

    def start_unlinking(self, index: int) -> None:
        """Opens the unlink dialog of the row at `index` (as `devices()` listed it)."""
        DEVICES.locate("unlink_button", self.row(index)).first.click()
        self.unlink_dialog.wait_for()

    def confirm_unlink(self) -> bool:
        return self.submit(DEVICES.locate("confirm_unlink", self.unlink_dialog).first)

    def cancel_unlink(self) -> None:
        DEVICES.locate("cancel", self.unlink_dialog).first.click()

    def wait_for_count(self, count: int) -> None:
        """Until the list has at most `count` rows (after the site re-renders it)."""
        self.rows.nth(count).wait_for(state="detached")

    def start_signing_out_all(self) -> None:
        self.sign_out_all_button.click()
        self.sign_out_all_dialog.wait_for()

    def confirm_sign_out_all(self) -> bool:
        return self.submit(DEVICES.locate("confirm_sign_out_all", self.sign_out_all_dialog).first)

    def cancel_sign_out_all(self) -> None:
        DEVICES.locate("cancel", self.sign_out_all_dialog).first.click()
