"""A Playwright locator, as its error messages print it, in words a person can check against
the page: `get_by_role("navigation", name="Настройки").get_by_role("link", name="Оплата
услуг")` is "the link «Оплата услуг» in the navigation «Настройки»". The site's own texts
stay quoted as they are; the raw locator is kept for -v and the receipts."""

from __future__ import annotations

import re

# One call of a chain: get_by_role("link", name="Оплата услуг", exact=True), locator("…"), first …
_CALL = re.compile(r'(get_by_\w+|locator|filter|nth|first|last)(?:\((.*?)\))?(?=\.|$)')
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"|/((?:[^/\\]|\\.)*)/\w*|re\.compile\(r?"((?:[^"\\]|\\.)*)"')
_NAME = re.compile(r'name=(?:"((?:[^"\\]|\\.)*)"|/((?:[^/\\]|\\.)*)/\w*|re\.compile\(r?"((?:[^"\\]|\\.)*)")')

KINDS = {"get_by_test_id": "the element with test-id", "get_by_text": "the text", "get_by_label": "the field labelled",
         "get_by_placeholder": "the field showing", "get_by_title": "the element titled",
         "get_by_alt_text": "the image"}


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


def _one(call: str, argument: str) -> str | None:
    if call == "get_by_role":
        role = _first_text(argument)
        name = _NAME.search(argument)
        if name:
            text = next(group for group in name.groups() if group is not None)
            return f"the {role} «{_site_text(text)}»"
        return f"a {role}"
    if call in KINDS:
        return f"{KINDS[call]} «{_site_text(_first_text(argument))}»"
    if call == "locator":
        return f"the element {_first_text(argument)}"
    return None  # first, nth, filter: no words of their own


def _chain(text: str) -> str:
    parts = [words for call, argument in _CALL.findall(text) if (words := _one(call, argument or ""))]
    return " in ".join(reversed(parts)) if parts else text


def _split_alternatives(text: str) -> list[str]:
    """`a.or_(b)` → [a, b], minding the parentheses and quotes inside each."""
    marker = ".or_("
    at = text.find(marker)
    if at < 0:
        return [text]
    depth, quoted, end = 1, False, len(text)
    for index in range(at + len(marker), len(text)):
        char = text[index]
        if char == '"' and text[index - 1] != "\\":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth == 0:
                end = index
                break
    return [text[:at], *_split_alternatives(text[at + len(marker):end])]


def in_words(locator: str) -> str:
    """The locator in words; alternatives (`.or_`) joined by "or"; unknown shapes as they are."""
    if not locator or locator == "the page":
        return locator
    # The outer locator comes first in the text; in words the inner one leads.
    chains = [_chain(alternative) for alternative in _split_alternatives(locator.strip())]
    return " or ".join(dict.fromkeys(chains))
