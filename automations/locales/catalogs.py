"""`make catalogs`: the gettext catalog from the code's messages, with Babel.

Extracts every `_("…")`, `N_("…")`, `ngettext`, `N_plural`, `pgettext` and `NC_` message of
automations/, flows/, cli.py, fixtures/commands.py and fixtures/admin_client.py (what the
mock's own commands say), every `{% trans %}` block and `_()` of the HTML report's templates
(automations/templates/*.j2), and the help of every command and option
on the command line (read from cli.py's group: automations/help_language.py), into
okko_cancel.pot, merges it into the
Russian catalog (new messages come in untranslated, gone ones drop out), and compiles
okko_cancel.mo, which the runs read.
`--check` changes nothing and exits 1 when a message has no translation or the compiled
catalog is older than its source: what the tests ask too.

    .venv/bin/python -m automations.locales.catalogs [--check]
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from automations.report_templates import EXTRACT_OPTIONS

LOCALES = Path(__file__).resolve().parent
REPO = LOCALES.parent.parent
SOURCES = ("automations", "flows", "cli.py", "fixtures/commands.py", "fixtures/admin_client.py")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "N_plural": (1, 2), "pgettext": ((1, "c"), 2),
            "NC_": ((1, "c"), 2)}
# The HTML report's templates, through Jinja2's own extractor, told what the report's environment
# does (automations/report_templates.py) so that their msgids match; a `{% trans %}` block is a
# call of `gettext`, `ngettext` or `pgettext`.
TEMPLATES = "automations/templates"
TEMPLATE_METHODS = [("**.j2", "jinja2.ext:babel_extract")]
TEMPLATE_KEYWORDS = {**KEYWORDS, "gettext": None}
DOMAIN = "okko_cancel"
RU_PO = LOCALES / "ru" / "LC_MESSAGES" / f"{DOMAIN}.po"
RU_MO = RU_PO.with_suffix(".mo")


def extract() -> Catalog:
    template = Catalog(project="okko-cancel", domain=DOMAIN)
    for source in SOURCES:
        path = REPO / source
        if path.is_dir():
            _add(template, source, extract_from_dir(str(path), method_map=[("**.py", "python")], keywords=KEYWORDS))
        else:
            with path.open("rb") as handle:
                from babel.messages.extract import extract as extract_file

                for lineno, message, comments, context in extract_file("python", handle, keywords=KEYWORDS):
                    template.add(message, locations=[(source, lineno)], auto_comments=comments, context=context)
    _add(template, TEMPLATES, extract_from_dir(str(REPO / TEMPLATES), method_map=TEMPLATE_METHODS,
                                               options_map={"**.j2": EXTRACT_OPTIONS}, keywords=TEMPLATE_KEYWORDS))
    for message, location, comment in command_help():
        template.add(message, locations=[location], auto_comments=[comment])
    return template


def _add(template: Catalog, source: str, found: Iterable[tuple[str, int, Any, list[str], str | None]]) -> None:
    for filename, lineno, message, comments, context in found:
        template.add(message, locations=[(f"{source}/{filename}", lineno)], auto_comments=comments, context=context)


def command_help() -> list[tuple[str, tuple[str, int], str]]:
    """The help texts of the command line: its commands' docstrings and options' help."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from automations.help_language import help_catalog
    from cli import cli

    return list(help_catalog(cli, "okko-cancel", REPO))


def merged() -> Catalog:
    with RU_PO.open("rb") as handle:
        catalog = read_po(handle, locale="ru", domain=DOMAIN)
    catalog.update(extract(), no_fuzzy_matching=True)
    return catalog


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _key(text: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    """A message's id or translation, comparable: a plural one (ngettext) is read from the .mo
    as a list and from the .po as a tuple."""
    return text if isinstance(text, str) else tuple(text)


def untranslated(catalog: Catalog) -> list[str]:
    # A plural message (ngettext) is untranslated while any of its forms is.
    return [str(m.id) for m in catalog if m.id and (not m.string or not all(m.string) or m.fuzzy)]


def check() -> list[str]:
    """What is wrong with the catalogs, in lines; none when they are whole and compiled."""
    catalog = merged()
    problems = [f"untranslated: {message!r}" for message in untranslated(catalog)]
    with RU_MO.open("rb") as handle:
        shipped = {(m.context, _key(m.id)): _key(m.string) for m in read_mo(handle) if m.id}
    current = {(m.context, _key(m.id)): _key(m.string) for m in catalog if m.id and m.string and not m.fuzzy}
    if shipped != current:
        problems.append(f"{RU_MO.relative_to(REPO)} is not compiled from {RU_PO.relative_to(REPO)}: run `make catalogs`")
    return problems


def main() -> None:
    if "--check" in sys.argv[1:]:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        raise SystemExit(1 if problems else 0)
    catalog = merged()
    with RU_PO.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_by_file=True, ignore_obsolete=True)
    RU_MO.write_bytes(compiled(catalog))
    missing = untranslated(catalog)
    print(f"{RU_PO.relative_to(REPO)}: {len(catalog)} messages, {len(missing)} untranslated")


if __name__ == "__main__":
    main()
