"""`--help` in the run's language. The commands' help stays written in English where it is
(their docstrings, each option's `help=`): that English is the catalog's msgid, and the help
page translates it as it is shown. The catalog tool finds these msgids by walking the command
line's group (`help_catalog`), so a new command or option is in the catalog, and untranslated
until someone translates it, without being marked anywhere.

A help text is translated a paragraph at a time (its words joined by single spaces, as Click
rewraps them anyway). A `\\b` paragraph (Click's "keep these lines as they are": the examples)
is translated a line at a time: its indented lines are command lines and stay as they are,
but for a trailing `# comment`; its other lines ("Example:") are translated.

The group class `SpeakingGroup` gives every command added to it (and to its subgroups) this
help, whichever module made the command with plain `@click.command()`.
"""

from __future__ import annotations

import copy
import functools
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from automations.i18n import _, lang_argument, language_from_environment, use_language

PARAGRAPHS = re.compile(r"\n[ \t]*\n")
# An example line's comment: `okko-cancel mock-site --fault profile=okko   # 150-300 ms a request`.
COMMENT = re.compile(r"(?P<code>.*?\s)#\s+(?P<comment>.+)$")
KEEP_LINES = "\b"


def help_text(text: str | None) -> str:
    """The text Click shows of a command's help: the docstring, dedented, up to a form feed."""
    return inspect.cleandoc(text or "").partition("\f")[0]


def one_line(text: str) -> str:
    return " ".join(text.split())


def _pieces(text: str) -> Iterator[tuple[str, str | None]]:
    """The help text in pieces, each with its msgid (None: shown as it is)."""
    for at, paragraph in enumerate(PARAGRAPHS.split(help_text(text))):
        if at:
            yield "\n\n", None
        lines = paragraph.split("\n")
        if lines[0].strip() != KEEP_LINES:
            yield paragraph, one_line(paragraph) or None
            continue
        yield lines[0], None
        for line in lines[1:]:
            yield "\n", None
            commented = COMMENT.match(line)
            if not line[:1].isspace():
                yield line, line.rstrip() or None
            elif commented:
                yield f"{commented['code']}# ", None
                yield commented["comment"], commented["comment"].strip()
            else:
                yield line, None


def help_messages(text: str | None) -> list[str]:
    """The msgids of a help text."""
    return [msgid for _piece, msgid in _pieces(text or "") if msgid]


def in_language(text: str | None) -> str:
    """A help text in the run's language."""
    return "".join(piece if msgid is None else _(msgid) for piece, msgid in _pieces(text or ""))


def _shown(param: click.Parameter) -> click.Parameter:
    """The parameter as its help row shows it: its help translated, the rest its own."""
    shown = copy.copy(param)
    given = getattr(param, "help", None)
    if given:
        shown.help = _(one_line(given))  # type: ignore[attr-defined]
    return shown


class Speaking(click.Command):
    """A command whose help page reads in the run's language."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            # The language first, as a run decides it (--lang anywhere on the line, else OKKO_LANG
            # or the locale): `--help` and Click's usage errors speak before any command runs,
            # and --help, eager, is answered before a --lang after it is read.
            use_language(lang_argument(args) or language_from_environment())
        return super().parse_args(ctx, args)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = in_language(self.help)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help:
            return _(one_line(self.short_help))
        # Click's own shortening, of the translated text.
        return click.Command(None, help=in_language(self.help)).get_short_help_str(limit)

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Click 8.5 lists the arguments when one has help; ours have none so far.
        arguments = [p for p in self.get_params(ctx) if isinstance(p, click.Argument)]
        if any(getattr(argument, "help", None) for argument in arguments):
            with formatter.section(_("Positional arguments")):
                formatter.write_dl([_shown(argument).get_help_record(ctx) for argument in arguments])  # type: ignore[misc]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [row for param in self.get_params(ctx) if not isinstance(param, click.Argument)
                if (row := _shown(param).get_help_record(ctx)) is not None]
        if rows:
            with formatter.section(_("Options")):
                formatter.write_dl(rows)


class SpeakingGroup(Speaking, click.Group):
    """A group whose help, and every subcommand's, reads in the run's language."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(speaking(cmd), name)


@functools.cache
def _speaking_class(cls: type[click.Command]) -> type[click.Command]:
    base = SpeakingGroup if issubclass(cls, click.Group) else Speaking
    return base if cls in (click.Command, click.Group) else type(f"{cls.__name__}InLanguage", (base, cls), {})


def speaking(command: click.Command) -> click.Command:
    """The command, and its subcommands, made to show their help in the run's language. A
    command made elsewhere with plain `@click.command()` changes class in place, so that
    every command on the line is covered without anyone remembering a `cls=`."""
    if not isinstance(command, Speaking):
        command.__class__ = _speaking_class(type(command))
    for subcommand in getattr(command, "commands", {}).values():
        speaking(subcommand)
    return command


def help_catalog(group: click.Group, prog: str, root: Path) -> Iterator[tuple[str, tuple[str, int], str]]:
    """Every help msgid on the command line, once: (msgid, where its first command is defined,
    a comment for the translator naming that command and option)."""
    seen: set[str] = set()

    def walk(command: click.Command, path: str) -> Iterator[tuple[str, tuple[str, int], str]]:
        where = _location(command, root)
        texts = [(msgid, f"`{path} --help`") for msgid in help_messages(command.help)]
        if command.short_help:
            texts.append((one_line(command.short_help), f"`{path} --help`"))
        texts += [(one_line(param.help), f"`{path} --help`: {max(param.opts, key=len)}")  # type: ignore[attr-defined]
                  for param in command.params if getattr(param, "help", None)]
        for msgid, comment in texts:
            if msgid not in seen:
                seen.add(msgid)
                yield msgid, where, comment
        for name, subcommand in sorted(getattr(command, "commands", {}).items()):
            yield from walk(subcommand, f"{path} {name}")

    return walk(group, prog)


def _location(command: click.Command, root: Path) -> tuple[str, int]:
    function: Any = inspect.unwrap(command.callback) if command.callback else None
    try:
        source = Path(inspect.getsourcefile(function) or "")
        return str(source.resolve().relative_to(root)), inspect.getsourcelines(function)[1]
    except (TypeError, OSError, ValueError):
        return "cli.py", 0
