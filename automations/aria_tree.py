"""Playwright's ARIA snapshots as trees, and what changed between two of them.

A snapshot (`locator.aria_snapshot()`) is YAML-like text, a line per accessible element:

    - navigation "Настройки":
      - link "Оплата услуг":
        - /url: /settings/payments
    - paragraph: Следующее списание <date>

Playwright's own matching (`to_match_aria_snapshot`) accepts a page that has more than the
template, so a removed link goes unseen; here the whole trees are compared. Siblings are
matched by role and name (or, for nameless text, by the text); what is left on one side only
appeared or disappeared, unless an element of the same role with a near-identical name
(rapidfuzz) is on the other side: then it was renamed; or unless the same element is inside
what appeared on the other side (or the other way round): then it moved, into a new
container (a menu now in a sidebar) or out of one, and is compared where it is now.
Identical siblings count once (a list of payments that grew by a row has not changed shape),
and their children are pooled.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

# How alike two names must be (rapidfuzz's ratio, 0-100, case and punctuation aside) for one to
# be the other renamed: «Подписки» → «Подписка», not «Отвязать» → «Отвязать карту».
RENAMED_AT = 80.0
# Names longer than this are cut in descriptions.
SHORT_NAME = 60

_LINE = re.compile(r"^(?P<indent> *)- (?P<rest>.*)$")
_ROLE = re.compile(r"^(?P<role>/?[\w-]+)\s*")

ChangeKind = Literal["appeared", "disappeared", "renamed", "moved"]


@dataclass
class AriaNode:
    role: str
    name: str = ""
    attributes: str = ""  # as written: "[level=2] [disabled]"
    value: str = ""  # the text after the colon, for an element with no children
    children: list[AriaNode] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)  # /url and the like
    line: int = -1  # its line in the snapshot (0-based)

    @property
    def label(self) -> str:
        return self.name or self.value

    def describe(self) -> str:
        return f"{self.role} «{_short(self.label)}»" if self.label else self.role


def _short(name: str) -> str:
    """A name for a line of text: a paragraph's whole text is in the trees, not in every line."""
    return name if len(name) <= SHORT_NAME else name[:SHORT_NAME - 1].rstrip() + "…"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    role: str
    name: str
    was: str = ""  # a renamed element's name in the baseline
    under: str = ""  # where: its ancestors, outermost first
    baseline_line: int = -1
    current_line: int = -1

    def describe(self) -> str:
        name = f"{self.role} «{_short(self.name)}»" if self.name else self.role
        if self.kind == "renamed":
            name = f"{self.role} «{_short(self.was)}» → «{_short(self.name)}»"
        if self.kind == "moved":
            return f"{name} ({self.was or 'top level'} → {self.under or 'top level'})"
        return f"{name} ({self.under})" if self.under else name

    def to_dict(self) -> dict[str, Any]:
        return {"change": self.kind, "role": self.role, "name": self.name, "was": self.was, "under": self.under,
                "baseline_line": self.baseline_line, "current_line": self.current_line}


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            return str(json.loads(text))
        except ValueError:
            return text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    return text


def _split_key(rest: str) -> tuple[str, str | None]:
    """`key: value` → (key, value); `key:` → (key, ""); `key` → (key, None). A key that YAML
    needed quoted ('link "a: b"') comes back unquoted."""
    if rest.startswith("'"):
        end = 1
        while end < len(rest):
            if rest[end] == "'" and rest[end + 1:end + 2] == "'":
                end += 2
                continue
            if rest[end] == "'":
                break
            end += 1
        key, after = rest[1:end].replace("''", "'"), rest[end + 1:]
        after = after.strip()
        return key, (after[1:].strip() if after.startswith(":") else None)
    quoted = bracket = False
    index = 0
    while index < len(rest):
        char = rest[index]
        if quoted and char == "\\":
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "[":
            bracket = True
        elif not quoted and char == "]":
            bracket = False
        elif not quoted and not bracket and char == ":" and rest[index + 1:index + 2] in ("", " "):
            return rest[:index].rstrip(), rest[index + 1:].strip()
        index += 1
    return rest.rstrip(), None


def _node(key: str, line: int) -> AriaNode:
    match = _ROLE.match(key)
    if match is None:
        return AriaNode(role="text", value=key, line=line)
    node = AriaNode(role=match.group("role"), line=line)
    rest = key[match.end():]
    if rest.startswith('"'):
        end = 1
        while end < len(rest) and rest[end] != '"':
            end += 2 if rest[end] == "\\" else 1
        node.name = _unquote(rest[:end + 1])
        rest = rest[end + 1:]
    elif rest.startswith("/"):  # a name given as a /pattern/ (templates, not snapshots)
        end = rest.find("/", 1)
        node.name, rest = rest[:end + 1], rest[end + 1:]
    node.attributes = rest.strip()
    return node


def parse_snapshot(snapshot: str) -> list[AriaNode]:
    """The top-level nodes of a snapshot; lines that are no element (blank) are skipped."""
    roots: list[AriaNode] = []
    stack: list[tuple[int, AriaNode]] = []
    for number, raw in enumerate(snapshot.splitlines()):
        match = _LINE.match(raw)
        if match is None:
            continue
        indent = len(match.group("indent"))
        key, value = _split_key(match.group("rest"))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else None
        if key.startswith("/") and parent is not None and value is not None:
            parent.properties[key[1:]] = _unquote(value)
            continue
        if key == "text" and value is not None:
            node = AriaNode(role="text", value=_unquote(value), line=number)
        else:
            node = _node(key, number)
            if value:
                node.value = _unquote(value)
        (parent.children if parent is not None else roots).append(node)
        stack.append((indent, node))
    return roots


def walk(nodes: Sequence[AriaNode]) -> Iterator[AriaNode]:
    for node in nodes:
        yield node
        yield from walk(node.children)


def _grouped(nodes: Sequence[AriaNode]) -> dict[tuple[str, str], AriaNode]:
    """Siblings by role and label, identical ones as one node with their children pooled."""
    groups: dict[tuple[str, str], AriaNode] = {}
    for node in nodes:
        key = (node.role, node.label)
        if key in groups:
            first = groups[key]
            groups[key] = AriaNode(first.role, first.name, first.attributes, first.value,
                                   [*first.children, *node.children], first.properties, first.line)
        else:
            groups[key] = node
    return groups


def _with_inline_text(node: AriaNode) -> list[AriaNode]:
    """An element's children, its own text among them when it also has a name
    (`listitem "X": its text`): that text can change while the name stays."""
    if node.name and node.value:
        return [AriaNode(role="text", value=node.value, line=node.line), *node.children]
    return node.children


def _find(nodes: Sequence[AriaNode], role: str, label: str, under: str) -> tuple[AriaNode, str] | None:
    """The first element of this role and label below `nodes`, and where it is."""
    for node in nodes:
        inside = f"{under} › {node.describe()}" if under else node.describe()
        for child in node.children:
            if child.role == role and child.label == label:
                return child, inside
        found = _find(node.children, role, label, inside)
        if found is not None:
            return found
    return None


def _moved(gone: list[AriaNode], new: list[AriaNode], under: str
           ) -> tuple[list[Change], list[tuple[AriaNode, AriaNode, str]], set[int], set[int]]:
    """Named elements that went into something that appeared, or came out of something that
    disappeared: each a change, the pair to compare with where it is now, and which of
    `gone` and `new` they were."""
    changes: list[Change] = []
    pairs: list[tuple[AriaNode, AriaNode, str]] = []
    from_gone: set[int] = set()
    from_new: set[int] = set()
    for i, old in enumerate(gone):
        found = _find(new, old.role, old.label, under) if old.name else None
        if found is not None:
            fresh, now = found
            changes.append(Change("moved", old.role, old.label, under or "", now, old.line, fresh.line))
            pairs.append((old, fresh, now))
            from_gone.add(i)
    for j, fresh in enumerate(new):
        found = _find(gone, fresh.role, fresh.label, under) if fresh.name else None
        if found is not None:
            old, was = found
            changes.append(Change("moved", fresh.role, fresh.label, was, under, old.line, fresh.line))
            pairs.append((old, fresh, under))
            from_new.add(j)
    return changes, pairs, from_gone, from_new


def diff_nodes(baseline: Sequence[AriaNode], current: Sequence[AriaNode], under: str = "") -> list[Change]:
    """What appeared, disappeared or was renamed among these siblings and below them."""
    from rapidfuzz import fuzz, utils

    before, after = _grouped(baseline), _grouped(current)
    changes: list[Change] = []
    pairs = [(before[key], after[key]) for key in before if key in after]
    gone = [node for key, node in before.items() if key not in after]
    new = [node for key, node in after.items() if key not in before]
    # The most alike pairs first, so that one near-name is not taken by a worse match.
    scored = sorted(((fuzz.ratio(old.label, fresh.label, processor=utils.default_process), i, j)
                     for i, old in enumerate(gone) for j, fresh in enumerate(new)
                     if old.role == fresh.role and old.label and fresh.label), reverse=True)
    renamed_old: set[int] = set()
    renamed_new: set[int] = set()
    for score, i, j in scored:
        if score < RENAMED_AT:
            break
        if i in renamed_old or j in renamed_new:
            continue
        renamed_old.add(i)
        renamed_new.add(j)
        changes.append(Change("renamed", new[j].role, new[j].label, gone[i].label, under, gone[i].line, new[j].line))
        pairs.append((gone[i], new[j]))
    gone = [node for i, node in enumerate(gone) if i not in renamed_old]
    new = [node for j, node in enumerate(new) if j not in renamed_new]
    moves, moved_pairs, moved_old, moved_new = _moved(gone, new, under)
    changes.extend(moves)
    for i, node in enumerate(gone):
        if i not in moved_old:
            changes.append(Change("disappeared", node.role, node.label, under=under, baseline_line=node.line))
    for j, node in enumerate(new):
        if j not in moved_new:
            changes.append(Change("appeared", node.role, node.label, under=under, current_line=node.line))
    for old, fresh, where in [*((old, fresh, under) for old, fresh in pairs), *moved_pairs]:
        inner = f"{where} › {fresh.describe()}" if where else fresh.describe()
        changes.extend(diff_nodes(_with_inline_text(old), _with_inline_text(fresh), inner))
    return changes


def diff_snapshots(baseline: str, current: str) -> list[Change]:
    """What changed from one snapshot to the other, whole trees compared. The snapshot's own
    element (`- main:`, a dialog) is where everything is: changes inside it name no `under`."""
    before, after = parse_snapshot(baseline), parse_snapshot(current)
    if len(before) == 1 and len(after) == 1 and before[0].role == after[0].role:
        old, fresh = before[0], after[0]
        renamed = [] if old.label == fresh.label else [Change("renamed", fresh.role, fresh.label, old.label,
                                                              baseline_line=old.line, current_line=fresh.line)]
        return [*renamed, *diff_nodes(_with_inline_text(old), _with_inline_text(fresh))]
    return diff_nodes(before, after)
