"""The tables of texts and test-ids (automations/locators.py): several names are one pattern
that matches each name whole and nothing else; a failure can say in words what was looked for."""

from __future__ import annotations

import re

from automations.locators import TABLES, Find


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

    assert find.describe() == "the textbox «Телефон», or test-id sign_input, or the field «Электронная почта»"


def test_every_page_object_has_its_table() -> None:
    import automations.pages  # noqa: F401 - importing the page objects fills the tables

    assert {"header", "overlays", "login", "settings", "subscriptions", "payments", "devices", "profile"} <= set(TABLES)
    assert TABLES["login"].find("login_input").test_ids == ("sign_input",)
