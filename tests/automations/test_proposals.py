"""A proposed fix (automations/proposals.py) when a step cannot find its element, on the mock
site in a real browser: the site renamed the card's unbind button (the `rename` fault), the
step fails, and its record holds the locators.toml lines that would find the new name, in
every layout; a locators.toml that has the key already is shown merged; an element that
became a link is proposed with its role; a page with nothing like it proposes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from automations.errors import FlowFailed
from automations.i18n import use_language
from automations.locators import TABLES
from automations.overrides import apply_overrides, parse_overrides, reset_overrides
from automations.pages import SettingsSection
from automations.proposals import key_for, proposal_lines
from automations.steps import StepLog
from flows.registry import COMMANDS
from flows.unbind_card import unbind_cards

RENAMED = {"rename": {"unbind_card": "Убрать карту"}}
# The step has waited long enough for the page to have rendered; a failing test need not wait 5 s.
SHORT_MS = 1_500


@pytest.fixture
def start_on() -> type[SettingsSection]:
    return COMMANDS["unbind-card"].section()


@pytest.fixture(autouse=True)
def _built_in_afterwards() -> Iterator[None]:
    # The messages read in English, whatever language a command run before in this process chose.
    use_language("en")
    yield
    reset_overrides()


def failed_proposal(page: Page, steps: StepLog) -> dict[str, object] | None:
    page.set_default_timeout(SHORT_MS)
    with pytest.raises(FlowFailed):
        unbind_cards(page, steps)
    failed = steps.records[-1]
    assert failed.outcome == "failed"
    return failed.proposal


@pytest.mark.scenario("default", faults=RENAMED)
@pytest.mark.parametrize("variant", [pytest.param(name, marks=pytest.mark.variant(name))
                                     for name in ("okko", "classic", "redesign")])
def test_a_renamed_button_is_proposed_where_the_step_looked(settings_page: Page, steps: StepLog, variant: str) -> None:
    proposal = failed_proposal(settings_page, steps)

    assert proposal is not None
    assert proposal["toml"] == '[payments.unbind_button]\nnames = ["Убрать карту"]'
    assert proposal_lines(proposal)[:3] == [  # type: ignore[arg-type]
        "Proposed fix (add to locators.toml in the data directory, never applied by itself):",
        "[payments.unbind_button]",
        'names = ["Убрать карту"]',
    ]


@pytest.mark.variant("classic")
@pytest.mark.scenario("default", faults=RENAMED)
def test_the_other_buttons_of_the_card_are_listed_behind_the_best(settings_page: Page, steps: StepLog) -> None:
    proposal = failed_proposal(settings_page, steps)

    assert proposal is not None
    assert proposal_lines(proposal)[-1] == "Other candidates: button «Сменить карту»"  # type: ignore[arg-type]


@pytest.mark.scenario("default", faults=RENAMED)
def test_a_key_the_file_has_already_is_shown_with_both_names(settings_page: Page, steps: StepLog) -> None:
    file = Path("/data/locators.toml")
    apply_overrides(parse_overrides('[payments.unbind_button]\nnames = ["Удалить навсегда"]\n', file), file)

    proposal = failed_proposal(settings_page, steps)

    assert proposal is not None
    assert proposal_lines(proposal)[:3] == [  # type: ignore[arg-type]
        "Proposed fix (put in place of [payments.unbind_button] in /data/locators.toml, never applied by itself):",
        "[payments.unbind_button]",
        'names = ["Удалить навсегда", "Убрать карту"]',
    ]


def test_a_button_that_became_a_link_is_proposed_with_its_role(page: Page) -> None:
    page.set_content('<main><article>Visa •••• 4242 <a href="#unbind">Отвязать</a></article>'
                     "<button>Добавить карту</button></main>")
    page.set_default_timeout(SHORT_MS)
    steps = StepLog()

    with pytest.raises(FlowFailed), steps.step("Отвязать"):
        TABLES["payments"].locate("unbind_button", page.get_by_role("article")).first.click()

    proposal = steps.records[-1].proposal
    assert proposal is not None
    assert proposal["toml"] == '[payments.unbind_button]\nrole = "link"\nnames = ["Отвязать"]'


def test_nothing_like_it_on_the_page_proposes_nothing(page: Page) -> None:
    page.set_content("<main><h1>Технические работы</h1></main>")
    page.set_default_timeout(SHORT_MS)
    steps = StepLog()

    with pytest.raises(FlowFailed), steps.step("Отвязать"):
        TABLES["payments"].locate("unbind_button", page.get_by_role("article")).first.click()

    assert steps.records[-1].proposal is None


@pytest.mark.variant("breaking")
def test_a_missing_section_is_no_keys_and_proposes_nothing(settings_page: Page, steps: StepLog) -> None:
    proposal = failed_proposal(settings_page, steps)

    assert proposal is None


# As Playwright's messages write them: the unbind button in a card's tile, and the settings
# menu's tab (no key's) inside the menu (settings.nav's).
IN_A_TILE = ('locator("main").get_by_role("article").or_(locator("main").get_by_role("listitem"))'
             '.filter(has_text=re.compile(r"4242")).get_by_role("button", name=re.compile(r"(?:^\\s*Отвязать\\s*$)|'
             '(?:^\\s*Отвязать\\ карту\\s*$)|(?:^\\s*Удалить\\ карту\\s*$)|(?:^\\s*Удалить\\s*$)")).first')
IN_THE_MENU = ('get_by_role("navigation", name="Настройки", exact=True).get_by_role("link", name="Оплата услуг", '
               'exact=True).or_(get_by_role("navigation", name="Настройки", exact=True).get_by_role("tab", '
               'name="Оплата услуг", exact=True)).first')


@pytest.mark.parametrize(("locator", "key"), [(IN_A_TILE, "payments.unbind_button"), (IN_THE_MENU, None),
                                              ("the page", None)])
def test_the_key_is_the_one_that_ends_the_locator(locator: str, key: str | None) -> None:
    assert key_for(locator) == key
