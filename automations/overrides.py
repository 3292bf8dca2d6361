"""A user's `locators.toml`: more ways to find an element, or others instead of the built-in
ones, under the element's key (`area.key`, as `okko-cancel locators` lists them), without
touching code. When the site renames a button, one line here makes the tool find it again:

    [payments.unbind_button]      # the key
    names = ["Убрать карту"]      # added to the built-in alternatives
    # test_ids = [...], labels = [...], placeholders = [...], texts = [...], role = "button"
    # replace = true              # use only these, not the built-in ones

    [devices.current_words]       # an entry of words the tool reads: texts only
    texts = ["Вы здесь"]

The file is the data directory's `locators.toml`, or `--locators PATH` / OKKO_LOCATORS. It is
read and checked once per run, before any browser starts (`load_overrides`): a mistake in it
is one line naming the file, the key and what is wrong, and exit 2. The entries it makes reach
every page object through the tables' override layer (automations/locators.py), for the
whole process: a batch's workers share it.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rapidfuzz import fuzz, process, utils
from rich.markup import escape
from rich.table import Table

import automations.pages  # noqa: F401 - the page objects' modules fill the tables
from automations.errors import ConfigurationError
from automations.i18n import _
from automations.locators import (ROLES, TABLES, Entry, Find, Name, Role, Words, all_keys, builtin_entry,
                                  use_overrides)

if TYPE_CHECKING:
    from automations.settings import Settings

# The alternatives an entry takes, in the order a Find tries them (test-id first).
FIND_ALTERNATIVES = ("test_ids", "names", "labels", "placeholders", "texts")
FIND_FIELDS = (*FIND_ALTERNATIVES, "role", "replace")
WORDS_FIELDS = ("texts", "replace")
# How many known keys an unknown one is told, the closest first (all of them: `okko-cancel locators`).
SUGGESTIONS = 5
# A test-id goes into a CSS attribute selector between double quotes.
BAD_TEST_ID = re.compile(r'["\\\n]')
TOML_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class Override:
    """One key's entry in the file, as written there."""

    key: str
    replace: bool = False
    role: Role | None = None
    test_ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()

    def alternatives(self) -> dict[str, list[str]]:
        return {name: list(values) for name in FIND_ALTERNATIVES if (values := getattr(self, name))}

    def to_dict(self) -> dict[str, Any]:
        role = {"role": self.role} if self.role else {}
        return {**role, **self.alternatives(), "replace": self.replace}

    def applied_to(self, builtin: Entry) -> Entry:
        """The entry the run uses: the built-in one with these added, or these alone."""
        if isinstance(builtin, Words):
            return Words(self.texts if self.replace else builtin.texts + self.texts)
        role = self.role or builtin.role
        if self.replace:
            # A heading's level means nothing to another role.
            level = builtin.level if role == builtin.role else None
            return Find(role=role, names=self.names, test_ids=self.test_ids, labels=self.labels,
                        placeholders=self.placeholders, texts=self.texts, level=level, exact=builtin.exact)
        more = dataclasses.replace(builtin, test_ids=builtin.test_ids + self.test_ids,
                                   labels=builtin.labels + self.labels,
                                   placeholders=builtin.placeholders + self.placeholders,
                                   texts=builtin.texts + self.texts)
        if role == builtin.role:
            return dataclasses.replace(more, names=builtin.names + self.names)
        # Names under another role (a button that became a link): the built-in names keep theirs.
        return dataclasses.replace(more, also=builtin.also + (Find(role=role, names=self.names, exact=builtin.exact),))


@dataclass(frozen=True)
class Loaded:
    """The run's file (None before a run has read its settings) and what it holds."""

    file: Path | None
    overrides: Mapping[str, Override]


_loaded = Loaded(None, {})


def closest(word: str, choices: Sequence[str], limit: int | None = None) -> list[str]:
    """`choices`, the closest to `word` first: "did you mean"."""
    ranked = process.extract(word, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                             limit=limit or len(choices))
    return [choice for choice, *score in ranked]


def locators_file(settings: Settings) -> Path:
    return settings.locators or settings.home.locators_file


def load_overrides(settings: Settings) -> None:
    """Reads and checks the run's locators.toml and applies it (no file: the built-in
    entries alone); a bad file is a ConfigurationError, before any browser starts."""
    file = locators_file(settings)
    if not file.is_file():
        if settings.locators is not None:
            raise ConfigurationError(_("the locators file {file} does not exist (--locators or OKKO_LOCATORS)").format(
                file=file))
        apply_overrides({}, file)
        return
    apply_overrides(read_overrides(file), file)


def read_overrides(file: Path) -> dict[str, Override]:
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigurationError(_("{file}: not UTF-8 text").format(file=file)) from None
    except OSError as error:
        raise ConfigurationError(_("cannot read the locators file {file}: {error}").format(
            file=file, error=error.strerror or error)) from None
    return parse_overrides(text, file)


def parse_overrides(text: str, file: Path) -> dict[str, Override]:
    """The file's entries by key, each checked against the built-in tables."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found_at = TOML_LINE.search(str(error))
        # An unclosed array or string is only found at the end: the last line is where to look.
        line = found_at.group(1) if found_at else len(text.splitlines()) or 1
        where = _("{file}, line {line}").format(file=file, line=line)
        raise ConfigurationError(_("{where}: not valid TOML ({error})").format(where=where, error=error)) from None
    found: dict[str, Override] = {}
    for area, table in document.items():
        if not isinstance(table, dict):
            raise _unknown_key(file, area)
        for name, fields in table.items():
            key = f"{area}.{name}"
            if area not in TABLES or name not in TABLES[area] or not isinstance(fields, dict):
                raise _unknown_key(file, key)
            found[key] = _override(file, key, fields, builtin_entry(key))
    return found


def _unknown_key(file: Path, key: str) -> ConfigurationError:
    known = all_keys()
    return ConfigurationError(_("{file}: unknown locator key [{key}]; the closest known: {keys} "
                                "(`okko-cancel locators` lists all {count})").format(
        file=file, key=key, keys=", ".join(closest(key, known, SUGGESTIONS)), count=len(known)))


def _override(file: Path, key: str, fields: dict[str, Any], builtin: Entry) -> Override:
    def wrong(message: str) -> ConfigurationError:
        return ConfigurationError(f"{file}: [{key}] {message}")

    valid = FIND_FIELDS if isinstance(builtin, Find) else WORDS_FIELDS
    for field in fields:
        if field not in valid:
            what = _("an entry of words") if isinstance(builtin, Words) else _("a locator")
            raise wrong(_("has no field «{field}» ({what} takes {fields})").format(
                field=field, what=what, fields=", ".join(closest(field, valid))))
    replace = fields.get("replace", False)
    if not isinstance(replace, bool):
        raise wrong(_("replace must be true or false"))
    role = fields.get("role")
    if role is not None and (not isinstance(role, str) or role not in ROLES):
        raise wrong(_("role «{role}» is not an ARIA role; valid roles: {roles}").format(
            role=role, roles=", ".join(closest(str(role), ROLES))))
    values: dict[str, tuple[str, ...]] = {}
    for field in FIND_ALTERNATIVES:
        given = fields.get(field, [])
        if not isinstance(given, list) or not all(isinstance(value, str) and value.strip() for value in given):
            raise wrong(_('{field} must be a list of non-empty texts, e.g. {field} = ["…"]').format(field=field))
        values[field] = tuple(value.strip() for value in given)
    bad_test_id = next((test_id for test_id in values["test_ids"] if BAD_TEST_ID.search(test_id)), None)
    if bad_test_id is not None:
        raise wrong(_("a test-id cannot hold quotes or backslashes: {test_id}").format(test_id=bad_test_id))
    if isinstance(builtin, Find):
        if values["names"] and role is None and builtin.role is None:
            raise wrong(_('names need a role here, e.g. role = "button"'))
        if role is not None and not values["names"]:
            raise wrong(_('role goes with names, e.g. role = "{role}" and names = ["…"]').format(role=role))
    if replace and not any(values.values()):
        raise wrong(_("replace = true needs at least one alternative of its own ({fields})").format(
            fields=", ".join(field for field in valid if field not in ("role", "replace"))))
    return Override(key, replace=replace, role=cast(Role | None, role), **values)


def apply_overrides(overrides: Mapping[str, Override], file: Path | None = None) -> None:
    """From now on, in every thread, the tables give the entries these make."""
    global _loaded
    use_overrides({key: override.applied_to(builtin_entry(key)) for key, override in overrides.items()})
    _loaded = Loaded(file, dict(overrides))


def reset_overrides() -> None:
    """The built-in entries alone (and no file): where a process starts, and each test."""
    apply_overrides({}, None)


def loaded() -> Loaded:
    return _loaded


# ------------------------------------------------------------------ `okko-cancel locators`


def _name_text(name: Name) -> str:
    return name if isinstance(name, str) else f"/{name.pattern}/"


def entry_dict(entry: Entry) -> dict[str, Any]:
    """An entry's alternatives as a document: the fields a locators.toml entry has."""
    if isinstance(entry, Words):
        return {"texts": list(entry.texts)}
    document: dict[str, Any] = {"role": entry.role} if entry.role else {}
    document.update({"test_ids": list(entry.test_ids), "names": [_name_text(n) for n in entry.names],
                     "labels": list(entry.labels), "placeholders": list(entry.placeholders),
                     "texts": list(entry.texts)})
    return {field: value for field, value in document.items() if value}


def listing() -> dict[str, Any]:
    """Every key with its built-in alternatives and the user's: `locators --json`."""
    file = _loaded.file
    keys = {}
    for key in all_keys():
        builtin = builtin_entry(key)
        override = _loaded.overrides.get(key)
        keys[key] = {"kind": "words" if isinstance(builtin, Words) else "locator", "builtin": entry_dict(builtin),
                     "yours": override.to_dict() if override else None}
    return {"file": str(file) if file else None, "file_exists": bool(file and file.is_file()), "locators": keys}


def _cell(alternatives: Mapping[str, Any], role: str | None = None) -> str:
    """One alternative a line: `button «Отвязать»`, `test-id nav_sign`, `label «Пароль»`;
    names without a role of their own have `role`'s (the built-in one)."""
    own_role = alternatives.get("role")
    role = own_role or role
    kinds = {"test_ids": "test-id {0}", "names": f"{role or ''} «{{0}}»".strip(), "labels": _("label «{0}»"),
             "placeholders": _("placeholder «{0}»"), "texts": _("text «{0}»")}
    lines = [kinds[field].format(value) for field in FIND_ALTERNATIVES for value in alternatives.get(field, [])]
    if own_role and not alternatives.get("names"):
        lines.append(_("any {role}").format(role=role))
    if alternatives.get("replace"):
        lines.append(_("(instead of the built-in ones)"))
    return escape("\n".join(lines))


def listing_lines(document: Mapping[str, Any]) -> list[str]:
    """What the tables are read with: the file, or that there is none yet."""
    if document["file_exists"]:
        return [_("Your locators: {file}").format(file=document["file"])]
    return [_("Your locators: none ({file} does not exist; see `okko-cancel locators --help`)").format(
        file=document["file"])]


def listing_tables(document: Mapping[str, Any]) -> list[Table]:
    """A table per area: each key, its built-in alternatives and the user's."""
    tables: dict[str, Table] = {}
    for key, item in document["locators"].items():
        area, _dot, name = key.partition(".")
        table = tables.get(area)
        if table is None:
            table = tables[area] = Table(title=escape(f"[{area}]"), title_justify="left", show_lines=True)
            table.add_column(_("Key"), no_wrap=True)
            table.add_column(_("Built-in"))
            table.add_column(_("Yours"))
        yours = _cell(item["yours"], item["builtin"].get("role")) if item["yours"] else ""
        table.add_row(escape(name), _cell(item["builtin"]), f"[bold]{yours}[/]" if yours else "")
    return list(tables.values())


def toml_lines(key: str, fields: Mapping[str, Any]) -> list[str]:
    """An entry as locators.toml lines: `[payments.unbind_button]`, `names = ["…"]`."""
    lines = [f"[{key}]"]
    for field, value in fields.items():
        # A TOML basic string takes JSON's escapes.
        rendered = json.dumps(value, ensure_ascii=False)
        lines.append(f"{field} = {rendered}")
    return lines
