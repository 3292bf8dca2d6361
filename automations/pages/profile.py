"""«Основные» (okko.tv; «Профиль» in our first design): the account's e-mail and phone.

okko.tv (a copy, ~2025-01) shows them under «Контакты» as fields to edit; our first design as
a list of facts. Either is read.
"""

from __future__ import annotations

from playwright.sync_api import Page

from automations.locators import Find, LocatorTable
from automations.pages.settings import SettingsSection

PROFILE = LocatorTable("profile", {
    "email_field": Find(labels=("Электронная почта", "E-mail", "Почта")),
    "phone_field": Find(labels=("Телефон", "Номер телефона")),
    "facts": Find(role="definition"),
    "deletion_heading": Find(role="heading", names=("Удаление аккаунта",)),
    "deletion_link": Find(role="link", names=("mail@okko.tv",)),
})


class ProfilePage(SettingsSection):
    TITLES = ("Основные", "Профиль")
    PATH = "/settings/general"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        main = page.get_by_role("main")
        self.email_field = PROFILE.locate("email_field", main).first
        self.phone_field = PROFILE.locate("phone_field", main).first
        self.facts = PROFILE.locate("facts", main)
        self.deletion_heading = PROFILE.locate("deletion_heading", page)
        self.deletion_link = PROFILE.locate("deletion_link", page)

    def contacts(self) -> dict[str, str]:
        if self.email_field.is_visible():
            phone = self.phone_field.input_value() if self.phone_field.is_visible() else ""
            return {"email": self.email_field.input_value().strip(), "phone": phone.strip()}
        values = [v.inner_text().strip() for v in self.facts.all()]
        return {"email": values[0] if values else "", "phone": values[1] if len(values) > 1 else ""}
