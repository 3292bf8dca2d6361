"""What a step looked for, in words a person can check against the page, in the run's
language: `get_by_role("navigation", name="Настройки").get_by_role("link", name="Оплата
услуг")` is "the link «Оплата услуг» in the navigation «Настройки»" («ссылка «Оплата услуг»
в навигации «Настройки»»). The site's own texts stay quoted as they are; the raw locator is
kept for -v and the receipts.

A role's noun is in the catalog twice (`pgettext`): as what is looked for and as where it
is looked for, since Russian declines the two apart (кнопка / в кнопке)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from automations.i18n import NC_, _, pgettext

Position = Literal["looked for", "inside"]
LOOKED_FOR: Position = "looked for"
INSIDE: Position = "inside"

ROLE_NOUNS: dict[str, tuple[str, str]] = {
    "alert": (NC_("looked for", "alert"), NC_("inside", "alert")),
    "alertdialog": (NC_("looked for", "alert dialog"), NC_("inside", "alert dialog")),
    "article": (NC_("looked for", "article"), NC_("inside", "article")),
    "banner": (NC_("looked for", "page header"), NC_("inside", "page header")),
    "button": (NC_("looked for", "button"), NC_("inside", "button")),
    "cell": (NC_("looked for", "cell"), NC_("inside", "cell")),
    "checkbox": (NC_("looked for", "checkbox"), NC_("inside", "checkbox")),
    "combobox": (NC_("looked for", "drop-down list"), NC_("inside", "drop-down list")),
    "complementary": (NC_("looked for", "sidebar"), NC_("inside", "sidebar")),
    "contentinfo": (NC_("looked for", "page footer"), NC_("inside", "page footer")),
    "definition": (NC_("looked for", "definition"), NC_("inside", "definition")),
    "dialog": (NC_("looked for", "dialog"), NC_("inside", "dialog")),
    "form": (NC_("looked for", "form"), NC_("inside", "form")),
    "group": (NC_("looked for", "group"), NC_("inside", "group")),
    "heading": (NC_("looked for", "heading"), NC_("inside", "heading")),
    "img": (NC_("looked for", "image"), NC_("inside", "image")),
    "link": (NC_("looked for", "link"), NC_("inside", "link")),
    "list": (NC_("looked for", "list"), NC_("inside", "list")),
    "listitem": (NC_("looked for", "list item"), NC_("inside", "list item")),
    "main": (NC_("looked for", "main area"), NC_("inside", "main area")),
    "menu": (NC_("looked for", "menu"), NC_("inside", "menu")),
    "menuitem": (NC_("looked for", "menu item"), NC_("inside", "menu item")),
    "navigation": (NC_("looked for", "navigation"), NC_("inside", "navigation")),
    "option": (NC_("looked for", "option"), NC_("inside", "option")),
    "paragraph": (NC_("looked for", "paragraph"), NC_("inside", "paragraph")),
    "progressbar": (NC_("looked for", "progress bar"), NC_("inside", "progress bar")),
    "radio": (NC_("looked for", "radio button"), NC_("inside", "radio button")),
    "region": (NC_("looked for", "region"), NC_("inside", "region")),
    "row": (NC_("looked for", "row"), NC_("inside", "row")),
    "searchbox": (NC_("looked for", "search box"), NC_("inside", "search box")),
    "status": (NC_("looked for", "status message"), NC_("inside", "status message")),
    "switch": (NC_("looked for", "switch"), NC_("inside", "switch")),
    "tab": (NC_("looked for", "tab"), NC_("inside", "tab")),
    "tabpanel": (NC_("looked for", "tab panel"), NC_("inside", "tab panel")),
    "table": (NC_("looked for", "table"), NC_("inside", "table")),
    "textbox": (NC_("looked for", "text box"), NC_("inside", "text box")),
}
# A page has one of these: "the main area", with or without a name.
ONE_PER_PAGE = frozenset({"main", "banner", "contentinfo"})
# Another role goes by its name: "the spinbutton «Срок»" («элемент с ролью spinbutton «Срок»»).
OTHER_ROLE = (NC_("looked for", "{role}"), NC_("inside", "{role}"))

KINDS: dict[str, tuple[str, str]] = {
    "get_by_test_id": (NC_("looked for", "the element with test-id «{text}»"),
                       NC_("inside", "the element with test-id «{text}»")),
    "get_by_text": (NC_("looked for", "the text «{text}»"), NC_("inside", "the text «{text}»")),
    "get_by_label": (NC_("looked for", "the field labelled «{text}»"), NC_("inside", "the field labelled «{text}»")),
    "get_by_placeholder": (NC_("looked for", "the field showing «{text}»"),
                           NC_("inside", "the field showing «{text}»")),
    "get_by_title": (NC_("looked for", "the element titled «{text}»"), NC_("inside", "the element titled «{text}»")),
    "get_by_alt_text": (NC_("looked for", "the image «{text}»"), NC_("inside", "the image «{text}»")),
    "locator": (NC_("looked for", "the element {css}"), NC_("inside", "the element {css}")),
}

_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"|/((?:[^/\\]|\\.)*)/\w*|re\.compile\(r?"((?:[^"\\]|\\.)*)"')
_NAME = re.compile(r'name=(?:"((?:[^"\\]|\\.)*)"|/((?:[^/\\]|\\.)*)/\w*|re\.compile\(r?"((?:[^"\\]|\\.)*)")')
_TEST_ID_CSS = re.compile(r'^\[test-id=\\?"([^"\\]*)\\?"\]$')
_CALL_NAME = re.compile(r"\.?(\w+)")


def noun(role: str, position: Position = LOOKED_FOR) -> str:
    """A role's noun: "list item" («элемент списка», «элементе списка»)."""
    nouns = ROLE_NOUNS.get(role)
    if nouns is None:
        return pgettext(position, OTHER_ROLE[0]).format(role=role)
    return pgettext(position, nouns[0])


def role_words(role: str, names: Sequence[str] = (), position: Position = LOOKED_FOR) -> str:
    """"the button «Отвязать» or «Удалить»", "a list item", "the main area"; in Russian
    «кнопка «Отвязать» или «Удалить»», «элемент списка», and «в основной области» inside."""
    thing = noun(role, position)
    if names:
        return _("the {thing} {names}").format(thing=thing, names=either([f"«{name}»" for name in names]))
    if role in ONE_PER_PAGE:
        return _("the {thing}").format(thing=thing)
    english = ROLE_NOUNS[role][0] if role in ROLE_NOUNS else role
    return (_("an {thing}") if english[:1] in "aeiou" else _("a {thing}")).format(thing=thing)


def either(alternatives: Sequence[str]) -> str:
    """"A or B or C" («A или B или C»)."""
    said = alternatives[0] if alternatives else ""
    for alternative in alternatives[1:]:
        said = _("{first} or {second}").format(first=said, second=alternative)
    return said


def inside(inner: str, outer: str) -> str:
    """"the button «Отвязать» in the dialog «Отвязать карту?»": `outer` said as a place."""
    return _("{inner} in {outer}").format(inner=inner, outer=outer)


# A locator's chain as Playwright prints it, outermost first: each call that names something
# (filter, first, nth have no words of their own), and an `.or_(…)` of the chain so far.
@dataclass(frozen=True)
class Call:
    name: str
    argument: str


@dataclass(frozen=True)
class Either:
    chains: tuple[Chain, ...]


Part = Call | Either
Chain = tuple[Part, ...]


def _closing(text: str, at: int) -> int:
    """The index of the parenthesis closing the one at `at`, minding quotes and escapes."""
    depth, quoted, index = 0, False, at
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise ValueError("unbalanced")


def _parse(text: str) -> Chain:
    chain: list[Part] = []
    index = 0
    while index < len(text):
        match = _CALL_NAME.match(text, index)
        if not match:
            raise ValueError(text[index:])
        name, index, argument = match.group(1), match.end(), ""
        if index < len(text) and text[index] == "(":
            end = _closing(text, index)
            argument, index = text[index + 1:end], end + 1
        if name == "or_":
            chain = [Either((tuple(chain), _parse(argument)))]
        elif name.startswith("get_by_") or name == "locator":
            chain.append(Call(name, argument))
    return tuple(chain)


def _first_text(argument: str) -> str:
    match = _QUOTED.search(argument)
    if not match:
        return argument
    return next(group for group in match.groups() if group is not None)


def _site_text(pattern: str) -> str:
    """A name the locator matches: a regex of alternatives reads as its first, plainly."""
    plain = re.sub(r"\\s[*+]?", " ", re.sub(r"(?<!\\)[()^$]|\?:", "", pattern))
    first = re.split(r"(?<!\\)\|", plain)[0]
    return re.sub(r"\\(.)", r"\1", first).strip()


def _call_words(call: Call, position: Position) -> str:
    if call.name == "get_by_role":
        name = _NAME.search(call.argument)
        names = [_site_text(next(group for group in name.groups() if group is not None))] if name else []
        return role_words(_first_text(call.argument), names, position)
    text = _first_text(call.argument)
    if call.name == "locator":
        test_id = _TEST_ID_CSS.match(text)
        if test_id:  # how automations/locators.py looks for okko.tv's `test-id`
            return pgettext(position, KINDS["get_by_test_id"][0]).format(text=test_id.group(1))
        return pgettext(position, KINDS["locator"][0]).format(css=text)
    kind = KINDS.get(call.name)
    return pgettext(position, kind[0]).format(text=_site_text(text)) if kind else call.name


def _part_words(part: Part, position: Position) -> str:
    if isinstance(part, Call):
        return _call_words(part, position)
    chains = list(dict.fromkeys(chain for chain in part.chains if chain))
    if len(chains) == 1:
        return _chain_words(chains[0], position)
    # What every alternative is inside is said once: "an article or a list item in the main area".
    shared = 0
    while shared < min(map(len, chains)) - 1 and len({chain[shared] for chain in chains}) == 1:
        shared += 1
    if shared:
        rests = Either(tuple(chain[shared:] for chain in chains))
        return _chain_words((*chains[0][:shared], rests), position)
    return either(list(dict.fromkeys(_chain_words(chain, position) for chain in chains)))


def _chain_words(chain: Chain, position: Position) -> str:
    """The innermost part leads; each part around it is said as where it is."""
    said = _part_words(chain[-1], position)
    for part in reversed(chain[:-1]):
        said = inside(said, _part_words(part, INSIDE))
    return said


def in_words(locator: str) -> str:
    """The locator in words, in the run's language; a shape it cannot read stays as it is."""
    if not locator or locator == "the page":
        return _(locator) if locator else locator
    try:
        chain = _parse(locator.strip())
    except ValueError:
        return locator
    return _chain_words(chain, LOOKED_FOR) if chain else locator
