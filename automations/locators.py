"""Named ways to find things on the site: every text and test-id that a page object looks for
sits in one table at the top of its module, under a key such as `payments.unbind_button`.

A `Find` lists alternatives, best evidence first: the site's own `test-id` where one was seen on
okko.tv, then a role with any of several accessible names (the names the evidence and our
layouts give), then a form field's label or placeholder, then plain text. The locator it makes
matches any of them, so a page that shows one of the known spellings is found, and one that
shows none fails at that step, naming every spelling it tried (`describe`).

`Words` are texts the page objects read rather than click: a marker such as «Текущее
устройство», or the words before a date. They are alternatives too.

A user's `locators.toml` (automations/overrides.py) adds alternatives to a key or replaces it
for the run: the tables are read through one override layer, set once per run
(`use_overrides`), so every page object sees the same entries. A lookup remembers, per thread,
where it last looked for each key (`last_scope`): when a step then cannot find its element,
the proposal looks for candidates in that same place (automations/proposals.py).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from playwright.sync_api import Locator, Page

from automations.i18n import _, pgettext
from automations.wording import role_words

# Playwright's ARIA roles: every one get_by_role accepts (a test holds it to Playwright's own
# list), so that a table or a user's locators.toml naming another is refused as a typo.
Role = Literal[
    "alert", "alertdialog", "application", "article", "banner", "blockquote", "button", "caption", "cell",
    "checkbox", "code", "columnheader", "combobox", "complementary", "contentinfo", "definition", "deletion",
    "dialog", "directory", "document", "emphasis", "feed", "figure", "form", "generic", "grid", "gridcell", "group",
    "heading", "img", "insertion", "link", "list", "listbox", "listitem", "log", "main", "marquee", "math", "menu",
    "menubar", "menuitem", "menuitemcheckbox", "menuitemradio", "meter", "navigation", "none", "note", "option",
    "paragraph", "presentation", "progressbar", "radio", "radiogroup", "region", "row", "rowgroup", "rowheader",
    "scrollbar", "search", "searchbox", "separator", "slider", "spinbutton", "status", "strong", "subscript",
    "superscript", "switch", "tab", "table", "tablist", "tabpanel", "term", "textbox", "time", "timer", "toolbar",
    "tooltip", "tree", "treegrid", "treeitem",
]
ROLES: tuple[str, ...] = get_args(Role)
Scope = Page | Locator
Name = str | re.Pattern[str]


@dataclass(frozen=True)
class Find:
    """One thing on a page and every known way to find it."""

    role: Role | None = None
    names: tuple[Name, ...] = ()
    test_ids: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    level: int | None = None
    exact: bool = True
    # More alternatives under another role: a user's names for a button that became a link.
    also: tuple[Find, ...] = ()

    def __call__(self, scope: Scope) -> Locator:
        """A locator matching any of the alternatives inside `scope`."""
        found: Locator | None = None
        for locator in self._alternatives(scope):
            found = locator if found is None else found.or_(locator)
        if found is None:
            raise ValueError("a Find needs at least one way to find its element")
        return found

    def _alternatives(self, scope: Scope) -> Iterator[Locator]:
        for test_id in self.test_ids:
            # okko.tv marks elements with a literal `test-id` attribute, not Playwright's data-testid.
            yield scope.locator(f'[test-id="{test_id}"]')
        if self.role is not None:
            options: dict[str, Any] = {"level": self.level} if self.level is not None else {}
            if not self.names:
                yield scope.get_by_role(self.role, **options)
            elif len(self.names) == 1 and isinstance(self.names[0], str):
                yield scope.get_by_role(self.role, name=self.names[0], exact=self.exact, **options)
            else:
                # One pass over the page's roles for every name (each alternative of its own
                # would compute every element's accessible name again).
                yield scope.get_by_role(self.role, name=self.name_pattern(), **options)
        for label in self.labels:
            yield scope.get_by_label(label, exact=self.exact)
        for placeholder in self.placeholders:
            yield scope.get_by_placeholder(placeholder, exact=self.exact)
        for text in self.texts:
            yield scope.get_by_text(text, exact=self.exact)
        for more in self.also:
            yield from more._alternatives(scope)

    def name_pattern(self) -> re.Pattern[str]:
        """Every name as one pattern: an exact text whole (surrounding space aside, as
        Playwright's exact match), a loose one anywhere and in any case, a pattern as it is."""
        parts = [_name_part(name, self.exact) for name in self.names]
        loose = not self.exact or any(isinstance(n, re.Pattern) and n.flags & re.IGNORECASE for n in self.names)
        return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE if loose else 0)

    def describe(self) -> str:
        """In words, in the run's language, for a failure message: "the button «Отвязать» or
        «Отвязать карту»" («кнопка «Отвязать» или «Отвязать карту»»)."""
        parts: list[str] = []
        if self.role is not None:
            parts.append(role_words(self.role, [_name_text(n) for n in self.names]))
        parts += [_("test-id {test_id}").format(test_id=t) for t in self.test_ids]
        parts += [_("the field «{label}»").format(label=label) for label in self.labels + self.placeholders]
        parts += [pgettext("looked for", "the text «{text}»").format(text=t) for t in self.texts]
        parts += [more.describe() for more in self.also]
        said = parts[0] if parts else ""
        for part in parts[1:]:
            said = _("{first}, or {second}").format(first=said, second=part)
        return said


def _name_part(name: Name, exact: bool) -> str:
    if isinstance(name, re.Pattern):
        return name.pattern
    return rf"^\s*{re.escape(name)}\s*$" if exact else re.escape(name)


def _name_text(name: Name) -> str:
    return name if isinstance(name, str) else name.pattern.strip("^$")


@dataclass(frozen=True)
class Words:
    """Texts the page objects read: any one of them counts."""

    texts: tuple[str, ...]

    def pattern(self) -> str:
        """A regular-expression group matching any of the texts."""
        return "(?:" + "|".join(re.escape(t) for t in self.texts) + ")"

    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern())

    def found_in(self, text: str) -> bool:
        return any(t in text for t in self.texts)


Entry = Find | Words


class LocatorTable(Mapping[str, Entry]):
    """A page object's table: its area (`payments`) and its named entries, as the run's
    overrides (a user's locators.toml) have them; `builtin` is the code's own."""

    def __init__(self, area: str, entries: Mapping[str, Entry]) -> None:
        self.area = area
        self._entries = dict(entries)
        TABLES[area] = self

    def __getitem__(self, key: str) -> Entry:
        entry = self._entries[key]
        return _overrides.get(f"{self.area}.{key}", entry)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def builtin(self, key: str) -> Entry:
        return self._entries[key]

    def find(self, key: str) -> Find:
        return cast(Find, self[key])

    def words(self, key: str) -> Words:
        return cast(Words, self[key])

    def locate(self, key: str, scope: Scope) -> Locator:
        locator = self.find(key)(scope)
        _remember(f"{self.area}.{key}", scope)
        return locator


# Every page object's table, by area (`payments`), so that all of them can be listed or extended in one place.
TABLES: dict[str, LocatorTable] = {}

# The run's entries from a user's locators.toml, by `area.key`: one mapping for the whole
# process (a batch's workers share the run's file), replaced whole, never changed in place.
_overrides: dict[str, Entry] = {}
# Per thread (a batch worker has its own page): where each key was last looked for.
_lookups = threading.local()


def use_overrides(entries: Mapping[str, Entry]) -> None:
    """The entries every table gives instead of its own from now on (`{}`: the code's own)."""
    global _overrides
    unknown = [key for key in entries if key not in all_keys()]
    if unknown:
        raise KeyError(f"no locator key {unknown[0]}")
    _overrides = dict(entries)


def overridden() -> Mapping[str, Entry]:
    return _overrides


def all_keys() -> list[str]:
    """Every `area.key`, in the tables' order."""
    return [f"{area}.{key}" for area, table in TABLES.items() for key in table]


def entry(full_key: str) -> Entry:
    """The entry of `area.key` as the run has it."""
    area, _dot, key = full_key.partition(".")
    return TABLES[area][key]


def builtin_entry(full_key: str) -> Entry:
    area, _dot, key = full_key.partition(".")
    return TABLES[area].builtin(key)


def _remember(full_key: str, scope: Scope) -> None:
    scopes: dict[str, Scope] = _lookups.__dict__.setdefault("scopes", {})
    scopes.pop(full_key, None)  # the newest lookup last
    scopes[full_key] = scope


def last_scope(full_key: str) -> Scope | None:
    """Where this thread last looked for `area.key` (a card's tile, a dialog, the page)."""
    scopes: dict[str, Scope] = _lookups.__dict__.get("scopes", {})
    return scopes.get(full_key)


def recent_keys() -> list[str]:
    """The keys this thread looked for, the newest last."""
    return list(_lookups.__dict__.get("scopes", {}))
