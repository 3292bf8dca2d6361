"""One language per run: Russian, or English on request (`--lang en`, OKKO_LANG=en, or a
locale that is neither Russian nor unset). Every message a person reads goes through `_`;
the messages are written in English and translated in the gettext catalog
`automations/locales/ru/LC_MESSAGES/okko_cancel.po` (compiled to `.mo` with Babel:
`make catalogs`). The site's own labels stay quoted as the site writes them, in both
languages: «Оплата услуг».

    from automations.i18n import _
    raise ConfigurationError(_("no login given: set OKKO_LOGIN"))
    _("Open «{section}»").format(section=page.title)

Click's own messages (a usage error's «Usage:», «No such option», «Try … for help») are in
this catalog too, under Click's msgids (`CLICK_MESSAGES`), and follow the run's language:
see `_speak_for_click`. So do the help pages (`--help`): Click's headings here, the commands'
own help translated as it is shown (automations/help_language.py).
"""

from __future__ import annotations

import functools
import gettext
import os
import sys
from pathlib import Path
from typing import Literal

import click

Lang = Literal["ru", "en"]
LANGS: tuple[Lang, ...] = ("ru", "en")
DOMAIN = "okko_cancel"
LOCALES = Path(__file__).with_name("locales")

_current: gettext.NullTranslations = gettext.NullTranslations()
_language: Lang = "ru"


def language_from_locale(environ: dict[str, str] | None = None) -> Lang:
    """Russian unless the locale says otherwise: an English (or any other) locale reads
    English; a Russian one, C, POSIX or none reads Russian, as every OKKO user does."""
    environ = dict(os.environ) if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            code = value.split(".")[0].split("_")[0].split("-")[0].lower()
            return "ru" if code in ("ru", "c", "posix", "") else "en"
    return "ru"


def use_language(lang: Lang | None) -> Lang:
    """Sets the run's language (None: from the locale); returns it."""
    global _current, _language
    _language = lang or language_from_locale()
    _current = _translation(_language)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.find_root().meta[_CHOSEN] = _language
    return _language


def language() -> Lang:
    return _language


def _(message: str) -> str:
    """The message in the run's language."""
    return _current.gettext(message)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; `_` translates it where it is used."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """The message as said in `context`: one English word that Russian declines apart, as
    what a step looks for («кнопка») and where it looks («в кнопке»)."""
    return _current.pgettext(context, message)


def NC_(context: str, message: str) -> str:
    """Marks a message of a context (see `pgettext`) for the catalog."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural message (see `ngettext`) for the catalog."""
    return singular, plural


def language_from_environment(environ: dict[str, str] | None = None) -> Lang:
    """OKKO_LANG when it names a language, else the locale's."""
    environ = dict(os.environ) if environ is None else environ
    given = environ.get("OKKO_LANG", "").strip().lower()
    return given if given in LANGS else language_from_locale(environ)  # type: ignore[return-value]


# Click's messages a person meets: its usage errors, prompts and help pages' headings, as
# Click 8 words them. A Click that rewords one leaves that one English, nothing worse.
CLICK_MESSAGES = (
    N_("Usage:"), N_("Try '{command} {option}' for help."), N_("Error: {message}"), N_("Aborted!"),
    N_("No such option {name!r}."), N_("No such command {name!r}."), N_("Missing command."),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"), N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"), N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Option {name!r} does not take a value."),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("Error: invalid input"), N_("Error: The two entered values do not match."), N_("Repeat for confirmation"),
    N_("Options"), N_("Commands"), N_("Positional arguments"), N_("default: {default}"), N_("required"),
    N_("env var: {var}"), N_("(dynamic)"), N_("%(prog)s, version %(version)s"),
)
# The help Click gives the options it makes (--help once per command, then cached; --version):
# kept as their msgids, and translated where the help is shown, as every option's help is.
CLICK_HELP = (N_("Show this message and exit."), N_("Show the version and exit."))
CLICK_PLURALS = (
    N_plural("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    N_plural("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    N_plural("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    N_plural("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
)


@functools.cache
def _translation(lang: Lang) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALES, languages=[lang], fallback=True)


def _language_for_click() -> Lang:
    """The language of the command line Click is reading, whose usage error comes before any
    command chose the run's language: its `--lang` (before the command's name, or anywhere on
    the process's command line) becomes the run's language as Click first speaks; else the
    run's, which starts from OKKO_LANG or the locale. Once a command chose it, that holds."""
    context = click.get_current_context(silent=True)
    if context is None:
        # Click reports a usage error after leaving its context.
        return lang_argument(sys.argv[1:]) or _language
    root = context.find_root()
    if _CHOSEN not in root.meta:
        given = root.params.get("lang")
        given = given if given in LANGS else lang_argument(sys.argv[1:])
        if given:
            use_language(given)
    return _language


def lang_argument(arguments: list[str]) -> Lang | None:
    """The language a command line's `--lang` names, if it names one."""
    for at, argument in enumerate(arguments):
        if argument == "--lang":
            value = arguments[at + 1] if at + 1 < len(arguments) else ""
        elif argument.startswith("--lang="):
            value = argument.removeprefix("--lang=")
        else:
            continue
        return next((lang for lang in LANGS if lang == value), None)
    return None


def _click_gettext(message: str) -> str:
    if message in CLICK_HELP:
        return message
    return _translation(_language_for_click()).gettext(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return _translation(_language_for_click()).ngettext(singular, plural, n)


def _speak_for_click() -> None:
    """Gives Click's modules our catalog: each binds the classic API's `gettext` (as `_`) and
    `ngettext` at its import, global to the process and reading the language from the
    environment, never from `--lang`. Only names still bound to that API are replaced."""
    import importlib

    for name in ("core", "exceptions", "parser", "types", "termui", "formatting", "decorators", "utils"):
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _click_gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]


# Set on the Click invocation whose command chose the language (use_language within it).
_CHOSEN = "okko_cancel.language"

use_language(language_from_environment())
_speak_for_click()
