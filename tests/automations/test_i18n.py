"""One language per run (automations/i18n.py): the catalog holds a Russian translation of every
message the code says, compiled as shipped; the language comes from --lang, OKKO_LANG or the
locale (Russian unless it says otherwise); the site's own labels stay quoted in both."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from automations.i18n import _, language_from_locale, use_language
from automations.locales.catalogs import check



@pytest.fixture
def russian() -> Iterator[None]:
    use_language("ru")
    yield
    use_language("en")


def test_every_message_has_a_russian_translation_and_the_catalog_is_compiled() -> None:
    assert check() == []


@pytest.mark.parametrize(("environ", "language"), [
    ({}, "ru"),
    ({"LANG": "C.UTF-8"}, "ru"),
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "ru_RU.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
    ({"LC_MESSAGES": "de_DE"}, "en"),
])
def test_russian_unless_the_locale_says_otherwise(environ: dict[str, str], language: str) -> None:
    assert language_from_locale(environ) == language


def test_a_message_reads_in_the_runs_language(russian: None) -> None:
    assert _("Unbind every bound card on {site}?").format(site="okko.tv") == "Отвязать все привязанные карты на okko.tv?"
