"""The tables of texts and test-ids (automations/locators.py): several names are one pattern
that matches each name whole and nothing else; a failure can say in words what was looked for,
and so can a locator Playwright wrote in its message (automations/wording.py)."""

from __future__ import annotations

import re

import pytest

from automations.locators import TABLES, Find
from automations.wording import in_words


def test_several_names_match_each_whole_name_and_nothing_else() -> None:
    pattern = Find(role="button", names=("Отвязать", "Отвязать карту", re.compile(r"^Удалить"))).name_pattern()

    for name in ("Отвязать", "Отвязать карту", " Отвязать ", "Удалить карту"):
        assert pattern.search(name), name
    for name in ("Отвязать картуX", "Не отвязывать", "отвязать", "Карту удалить"):
        assert not pattern.search(name), name


def test_loose_names_match_anywhere_in_any_case() -> None:
    pattern = Find(role="heading", names=("настройки",), exact=False).name_pattern()

    assert pattern.search("Настройки аккаунта")


def test_a_find_says_in_words_what_it_looks_for() -> None:
    find = Find(test_ids=("sign_input",), role="textbox", names=("Телефон",), placeholders=("Электронная почта",))

    assert find.describe() == "the text box «Телефон», or test-id sign_input, or the field «Электронная почта»"


def test_every_page_object_has_its_table() -> None:
    import automations.pages  # noqa: F401 - importing the page objects fills the tables

    assert {"header", "overlays", "login", "settings", "subscriptions", "payments", "devices", "profile"} <= set(TABLES)
    assert TABLES["login"].find("login_input").test_ids == ("sign_input",)


@pytest.mark.parametrize(("raw", "words"), [
    ('get_by_role("navigation", name="Настройки", exact=True).get_by_role("link", name="Оплата услуг", exact=True)'
     '.or_(get_by_role("navigation", name="Настройки", exact=True).get_by_role("tab", name="Оплата услуг", exact=True))'
     '.first',
     "the link «Оплата услуг» or the tab «Оплата услуг» in the navigation «Настройки»"),
    ('get_by_test_id("unbind_card").or_(get_by_role("button", name=re.compile(r"^(?:Отвязать|Unbind)$", '
     're.IGNORECASE))).first',
     "the element with test-id «unbind_card» or the button «Отвязать»"),
    ('locator("[test-id=card]").filter(has_text="4242").get_by_role("button", name="Отвязать")',
     "the button «Отвязать» in the element [test-id=card]"),
    ('get_by_text("Нет привязанных карт")', "the text «Нет привязанных карт»"),
    ("the page", "the page"),
])
def test_a_locator_from_playwrights_message_reads_in_words(raw: str, words: str) -> None:
    assert in_words(raw) == words
