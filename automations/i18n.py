"""One language per run: Russian, or English on request (`--lang en`, OKKO_LANG=en, or a
locale that is neither Russian nor unset). Every message a person reads goes through `_`;
the messages are written in English and translated in the gettext catalog
`automations/locales/ru/LC_MESSAGES/okko_cancel.po` (compiled to `.mo` with Babel:
`make catalogs`). The site's own labels stay quoted as the site writes them, in both
languages: «Оплата услуг».

    from automations.i18n import _
    raise ConfigurationError(_("no login given: set OKKO_LOGIN"))
    _("Open «{section}»").format(section=page.title)
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import Literal

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
    _current = gettext.translation(DOMAIN, LOCALES, languages=[_language], fallback=True)
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


use_language("ru")
