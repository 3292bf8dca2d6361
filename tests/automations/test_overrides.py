"""A user's locators.toml (automations/overrides.py) as the page objects see it: alternatives
added to a key or put in its place, for every table and every thread of the run, and gone
again when the run's file has none; what a lookup finds with them, in a real browser."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import get_args, get_type_hints

import pytest
from playwright.sync_api import Page, expect

from automations.errors import ConfigurationError
from automations.i18n import use_language
from automations.locators import ROLES, TABLES, Find, Words, all_keys
from automations.overrides import apply_overrides, closest, parse_overrides, reset_overrides

FILE = Path("locators.toml")


@pytest.fixture(autouse=True)
def _built_in_afterwards() -> Iterator[None]:
    # The messages read in English, whatever language a command run before in this process chose.
    use_language("en")
    yield
    reset_overrides()


def use(text: str) -> None:
    apply_overrides(parse_overrides(text, FILE), FILE)


def test_names_are_added_to_the_built_in_ones() -> None:
    use('[payments.unbind_button]\nnames = ["Убрать карту"]\n')

    unbind = TABLES["payments"].find("unbind_button")
    assert unbind.role == "button"
    assert unbind.names == ("Отвязать", "Отвязать карту", "Удалить карту", "Удалить", "Убрать карту")
    assert TABLES["payments"].builtin("unbind_button") != unbind


def test_replace_uses_only_the_users_alternatives() -> None:
    use('[login.login_input]\ntest_ids = ["login_field"]\nplaceholders = ["Телефон"]\nreplace = true\n'
        '[devices.current_words]\ntexts = ["Вы здесь"]\nreplace = true\n')

    assert TABLES["login"].find("login_input") == Find(test_ids=("login_field",), placeholders=("Телефон",))
    assert TABLES["devices"].words("current_words") == Words(("Вы здесь",))


def test_words_are_added_to_the_built_in_ones() -> None:
    use('[payments.no_cards_words]\ntexts = ["Карт нет"]\n')

    assert TABLES["payments"].words("no_cards_words").found_in("Карт нет, привяжите новую")
    assert TABLES["payments"].words("no_cards_words").found_in("Нет привязанных карт")


def test_a_run_without_overrides_has_the_built_in_tables_again() -> None:
    builtin = TABLES["payments"].find("unbind_button")
    use('[payments.unbind_button]\nnames = ["Убрать карту"]\n')

    apply_overrides({})

    assert TABLES["payments"].find("unbind_button") == builtin


def test_every_thread_sees_the_runs_overrides() -> None:
    # A batch's workers run in threads of their own.
    use('[payments.unbind_button]\nnames = ["Убрать карту"]\n')
    seen: list[tuple[str, ...]] = []

    worker = threading.Thread(target=lambda: seen.append(TABLES["payments"].find("unbind_button").names))
    worker.start()
    worker.join()

    assert "Убрать карту" in seen[0]


def test_the_added_names_find_the_element_and_the_built_in_ones_still_do(page: Page) -> None:
    use('[payments.unbind_button]\nnames = ["Убрать карту"]\n')
    page.set_content("<article><button>Убрать карту</button></article><article><button>Отвязать</button></article>")

    expect(TABLES["payments"].locate("unbind_button", page)).to_have_count(2)


def test_names_under_another_role_keep_the_built_in_role_for_the_built_in_names(page: Page) -> None:
    use('[payments.unbind_button]\nrole = "link"\nnames = ["Убрать карту"]\n')
    page.set_content('<a href="#x">Убрать карту</a><button>Отвязать</button><a href="#y">Отвязать</a>')

    unbind = TABLES["payments"].locate("unbind_button", page)

    expect(unbind).to_have_count(2)
    expect(unbind.first).to_have_text("Убрать карту")
    expect(unbind.last).to_have_js_property("tagName", "BUTTON")
    assert "the link «Убрать карту»" in TABLES["payments"].find("unbind_button").describe()


def test_replaced_alternatives_find_nothing_of_the_built_in_ones(page: Page) -> None:
    use('[payments.unbind_button]\nnames = ["Убрать карту"]\nreplace = true\n')
    page.set_content("<button>Убрать карту</button><button>Отвязать</button>")

    expect(TABLES["payments"].locate("unbind_button", page)).to_have_text(["Убрать карту"])


def test_an_unknown_key_names_the_closest_known_first() -> None:
    with pytest.raises(ConfigurationError) as refused:
        use('[devices.unlink_buton]\nnames = ["x"]\n')

    assert "the closest known: devices.unlink_button, " in str(refused.value)
    assert closest("payments.unbind_buton", all_keys())[0] == "payments.unbind_button"


def test_a_role_is_any_that_playwright_knows() -> None:
    playwright_roles = get_args(get_type_hints(Page.get_by_role)["role"])

    assert set(ROLES) == set(playwright_roles)
    use('[payments.unbind_button]\nrole = "menuitem"\nnames = ["Убрать карту"]\n')


def test_a_test_id_with_a_quote_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="a test-id cannot hold quotes"):
        use("[payments.unbind_button]\ntest_ids = ['card\"]']\n")
