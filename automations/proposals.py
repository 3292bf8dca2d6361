"""When a step cannot find its element: which locator key it was looking for, what the page
shows in that place instead, and the locators.toml lines that would make the tool find the
best of it. A proposal is printed and kept in the failed receipt (and in `check`'s report);
it is never applied by itself: a person reads it, and adds the lines if they are right.

    Proposed fix (add to /home/me/.local/share/okko-cancel/locators.toml, never applied by itself):
    [payments.unbind_button]
    names = ["Убрать карту"]

The key comes from the locator Playwright was waiting for (its error message writes it out):
each key's alternatives, as Playwright writes them, are looked for in it, and the one that
comes last is the element the chain ends on (the ones before it are where it looked). The
candidates are the elements of the same role where the lookup looked last (the card's tile,
the dialog; automations/locators.py remembers it), then on the whole page, by how close their
accessible names are to the names it knew (rapidfuzz), and the test-ids present.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from rapidfuzz import fuzz, utils

from automations.i18n import _
from automations.locators import Entry, Find, Words, all_keys, entry, last_scope, recent_keys
from automations.overrides import loaded, toml_lines
from automations.wording import noun

# The step has already waited its whole timeout: looking around must not take another.
LOOK_MS = 2_000
# A lookup's scope may match several elements (every row): the first few are looked at.
PLACES = 5
# How many candidates a proposal lists, and how close a name elsewhere on the page must be to be listed.
LISTED = 5
LISTED_MIN_SCORE = 45
# On the whole page (not where the lookup looked) only a name this close counts as the element.
PAGE_MIN_SCORE = 60
# An element that changed its role, a button that became a link: a candidate, a little behind.
ROLE_CHANGES: dict[str, tuple[str, ...]] = {
    "button": ("link", "menuitem", "tab"),
    "link": ("button", "menuitem", "tab"),
    "menuitem": ("button", "link"),
    "tab": ("link", "button"),
}
ROLE_CHANGE_PENALTY = 10
TEXT_FIELDS = ("textbox", "searchbox", "combobox")
# A line of an ARIA snapshot: `- button "Удалить карту"`, `- heading "Настройки" [level=1]`.
SNAPSHOT_LINE = re.compile(r'^\s*- (?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?')
# A lookup of its own in Playwright's words for a locator: what comes after it is looked for inside it.
LOOKUP = re.compile(r"\.(?:get_by_\w+|locator|filter)\(")
TEST_IDS_JS = "elements => elements.map(element => element.getAttribute('test-id'))"
PLACEHOLDERS_JS = "elements => elements.map(element => element.getAttribute('placeholder'))"


@dataclass(frozen=True)
class Candidate:
    """Something on the page that may be what the step looked for."""

    field: str  # the locators.toml field that would find it: names, test_ids, labels, placeholders
    value: str
    role: str | None
    score: int  # 0-100: how close to what the key knew
    in_place: bool  # where the lookup looked (the card's tile), not just somewhere on the page

    def words(self) -> str:
        if self.field == "names":
            return f"{noun(self.role)} «{self.value}»" if self.role else f"«{self.value}»"
        shown = {"test_ids": "test-id {0}", "labels": _("label «{0}»"), "placeholders": _("placeholder «{0}»")}
        return shown.get(self.field, "{0}").format(self.value)


@dataclass(frozen=True)
class Proposal:
    key: str
    best: Candidate
    # The role to write down: the best candidate's, when it is not the key's own.
    role: str | None
    candidates: tuple[Candidate, ...]

    def fields(self) -> dict[str, Any]:
        """The key's entry as the file should have it: what it has already, and the candidate."""
        override = loaded().overrides.get(self.key)
        fields: dict[str, Any] = dict(override.to_dict()) if override else {}
        fields.pop("replace", None)
        if self.role:
            fields["role"] = self.role
        fields[self.best.field] = [*fields.get(self.best.field, []), self.best.value]
        if override and override.replace:
            fields["replace"] = True
        return fields

    def toml(self) -> str:
        return "\n".join(toml_lines(self.key, self.fields()))

    def to_dict(self) -> dict[str, Any]:
        """For receipts, `check`'s report and StepRecord.proposal."""
        file = loaded().file
        return {"key": self.key, "file": str(file) if file else None, "toml": self.toml(),
                "replaces_entry": self.key in loaded().overrides, "best": asdict(self.best),
                "candidates": [asdict(candidate) for candidate in self.candidates]}


def proposal_lines(document: dict[str, Any]) -> list[str]:
    """A proposal (`Proposal.to_dict()`) for a terminal: where to add what, and the others."""
    file = document["file"] or _("locators.toml in the data directory")
    if document["replaces_entry"]:
        head = _("Proposed fix (put in place of [{key}] in {file}, never applied by itself):")
    else:
        head = _("Proposed fix (add to {file}, never applied by itself):")
    lines = [head.format(key=document["key"], file=file), *document["toml"].splitlines()]
    best = Candidate(**document["best"])
    others = [Candidate(**c) for c in document["candidates"] if Candidate(**c) != best]
    if others:
        lines.append(_("Other candidates: {candidates}").format(
            candidates=", ".join(candidate.words() for candidate in others)))
    return lines


def proposal_for(locator: str, page: Page | None = None) -> dict[str, Any] | None:
    """The proposal for a lookup that timed out (Playwright's words for its locator), as a
    document; None when the locator is no key's or nothing on the page fits. Never raises:
    the step's own failure is what the run reports."""
    try:
        proposal = _propose(locator, page)
    except (PlaywrightError, ValueError, KeyError):
        return None
    return proposal.to_dict() if proposal else None


def _propose(locator: str, page: Page | None) -> Proposal | None:
    key = key_for(locator)
    if key is None:
        return None
    find = entry(key)
    if not isinstance(find, Find):
        return None  # words are read, never waited for
    scope = last_scope(key)
    if page is None:
        page = scope if isinstance(scope, Page) else scope.page if isinstance(scope, Locator) else None
    if page is None:
        return None
    candidates = _candidates(find, page, scope if isinstance(scope, Locator) else None)
    best = next((c for c in candidates if c.in_place or c.score >= PAGE_MIN_SCORE), None)
    if best is None:
        return None
    role = best.role if best.field == "names" and best.role != find.role else None
    listed = [c for c in candidates if c.in_place or c.score >= LISTED_MIN_SCORE]
    return Proposal(key, best, role, tuple(listed[:LISTED]))


# -------------------------------------------------------------------- which key it was


def fragments(found: Entry) -> list[str]:
    """How Playwright writes each of the entry's alternatives in its messages (quotes unescaped)."""
    if isinstance(found, Words):
        return [f're.compile(r"{found.pattern()}"']
    parts = [f'[test-id="{test_id}"]' for test_id in found.test_ids]
    if found.role is not None:
        if not found.names:
            parts.append(f'get_by_role("{found.role}"' + (f", level={found.level})" if found.level else ")"))
        elif len(found.names) == 1 and isinstance(found.names[0], str):
            parts.append(f'get_by_role("{found.role}", name="{found.names[0]}"')
        else:
            parts.append(f'get_by_role("{found.role}", name=re.compile(r"{found.name_pattern().pattern}"')
    parts += [f'get_by_label("{label}"' for label in found.labels]
    parts += [f'get_by_placeholder("{placeholder}"' for placeholder in found.placeholders]
    parts += [f'get_by_text("{text}"' for text in found.texts]
    for more in found.also:
        parts += fragments(more)
    return parts


def key_for(locator: str) -> str | None:
    """The key whose alternatives end the locator's chain; of equal ones, the newest lookup.
    None when the chain goes on past every key's (a key was only where it looked: the
    settings menu, with a tab of no key's in it)."""
    written = locator.replace('\\"', '"')
    recent = recent_keys()
    best: tuple[int, int, int] | None = None
    chosen = None
    for key in all_keys():
        ends = [written.rfind(part) + len(part) for part in fragments(entry(key)) if part in written]
        if not ends or LOOKUP.search(written, max(ends)):
            continue
        rank = (max(ends), len(ends), recent.index(key) if key in recent else -1)
        if best is None or rank > best:
            best, chosen = rank, key
    return chosen


# ----------------------------------------------------------------- what the page has


def _names(locator: Locator) -> list[tuple[str, str]]:
    """(role, accessible name) of everything in the locator's ARIA snapshot that has a name."""
    found = []
    for line in locator.aria_snapshot(timeout=LOOK_MS).splitlines():
        match = SNAPSHOT_LINE.match(line)
        if match and match.group("name"):
            found.append((match.group("role"), json.loads(f'"{match.group("name")}"')))
    return found


def _places(scope: Locator | None) -> list[Locator]:
    if scope is None:
        return []
    return [scope.nth(index) for index in range(min(scope.count(), PLACES))]


def _known_texts(find: Find) -> list[str]:
    texts = [name if isinstance(name, str) else name.pattern for name in find.names]
    texts += list(find.labels + find.placeholders + find.texts)
    for more in find.also:
        texts += _known_texts(more)
    return texts


def _score(value: str, known: list[str], penalty: int = 0) -> int:
    best = max((fuzz.WRatio(value, text, processor=utils.default_process) for text in known), default=0.0)
    return max(0, round(best) - penalty)


def _candidates(find: Find, page: Page, scope: Locator | None) -> list[Candidate]:
    """Every candidate, where the lookup looked first, then the closest first."""
    known, known_ids = _known_texts(find), list(find.test_ids) + [t for more in find.also for t in more.test_ids]
    places = [(place, True) for place in _places(scope)] + [(page.locator("body"), False)]
    found: dict[tuple[str, str], Candidate] = {}

    def add(candidate: Candidate) -> None:
        # Seen in place and on the whole page: the one in place counts.
        found.setdefault((candidate.field, candidate.value), candidate)

    for place, in_place in places:
        for role, name in _names(place):
            field, penalty = _field_for(find, role)
            if field is None or _already_found(find, field, role, name):
                continue
            add(Candidate(field, name, role if field == "names" else None, _score(name, known, penalty), in_place))
        for test_id in place.locator("[test-id]").evaluate_all(TEST_IDS_JS):
            if test_id and test_id not in known_ids:
                add(Candidate("test_ids", test_id, None, _score(test_id, known_ids), in_place))
        if find.placeholders:
            for placeholder in place.locator("[placeholder]").evaluate_all(PLACEHOLDERS_JS):
                if placeholder and placeholder not in find.placeholders:
                    add(Candidate("placeholders", placeholder, None, _score(placeholder, known), in_place))
    return sorted(found.values(), key=lambda c: (not c.in_place, -c.score, c.field != "names"))


def _field_for(find: Find, role: str) -> tuple[str | None, int]:
    """Which field of the key a named element of this role would go in, and how far behind
    the element's of the key's own role it comes."""
    if find.role is not None:
        if role == find.role:
            return "names", 0
        if role in ROLE_CHANGES.get(find.role, ()):
            return "names", ROLE_CHANGE_PENALTY
        return None, 0
    if find.labels and role in TEXT_FIELDS:
        return "labels", 0
    return None, 0


def _already_found(find: Find, field: str, role: str, value: str) -> bool:
    """A name the key has already, under its role: adding it again changes nothing."""
    if field == "labels":
        return value in find.labels
    return role == find.role and bool(find.names) and find.name_pattern().search(value) is not None
