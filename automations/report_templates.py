"""The templates of `check`'s HTML report (automations/templates/*.j2), rendered in the run's
language: Jinja2's i18n extension is given our catalog's functions, so `{% trans %}`, `_()`,
`ngettext()` and `pgettext()` in a template read the catalog as `_` does in the code, and the
catalog's tool extracts their messages (automations/locales/catalogs.py).

Jinja2 (and markupsafe) is imported only when a report is written, not at start-up.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from automations.i18n import _, language, ngettext, pgettext

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

TEMPLATES = Path(__file__).with_name("templates")
# What the extractor must be told too, so that a template's msgids are the ones it looks up:
# a `{% trans %}` block's lines joined by one space, and `%` written `%%` (newstyle gettext
# formats every message).
EXTRACT_OPTIONS = {"trimmed": "true", "newstyle_gettext": "true", "silent": "false"}


@functools.cache
def environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                            extensions=["jinja2.ext.i18n"])
    templates.policies["ext.i18n.trimmed"] = True
    # The functions read the run's language at each call: one environment serves both.
    templates.install_gettext_callables(_, ngettext, newstyle=True, pgettext=pgettext)  # type: ignore[attr-defined]
    return templates


def render(name: str, **values: Any) -> Markup:
    """The template `name`, rendered (escaped where it holds values) in the run's language."""
    from markupsafe import Markup

    return Markup(environment().get_template(name).render(lang=language(), **values))
