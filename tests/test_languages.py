"""One language per run, on one command's whole output: every line English with --lang en,
every line Russian with --lang ru, but for what stays as it is in both (the site's quoted
labels, commands, settings, paths, URLs, card labels)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from automations.i18n import use_language
from fixtures import AdminClient, MockSite
from tests.helpers import cli_env, run

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

LATIN_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# What stays as it is in both languages; a card label is a brand and a masked number («Visa •••• 4242»).
VERBATIM = re.compile(r"«[^»]*»|`[^`]*`|\bOKKO_\w+|https?://\S+|/\S+|--[\w-]+|\S+@\S+|\b\w+-\w+-\w+\b"
                      r"|\b\w+ [•*·∙●]{1,4} ?\d{4}\b")


def stripped(text: str) -> str:
    return VERBATIM.sub("", text)


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """The commands run in this process, and the Russian one leaves the run's language Russian:
    the tests after this one in the same worker read English (see conftest.py)."""
    yield
    use_language("en")


def test_one_command_reads_wholly_in_english_or_wholly_in_russian(site: AdminClient, mock_site: MockSite,
                                                                   tmp_path: Path) -> None:
    outputs = {}
    for lang in ("en", "ru"):
        env = cli_env(tmp_path / lang, mock_site.url, OKKO_LOGIN="demo@okko.test", OKKO_PASSWORD="", OKKO_LANG=lang)
        result = run(["unbind-card", "--dry-run"], env)
        assert result.exit_code == 0, result.output
        outputs[lang] = result.stdout + result.stderr

    assert not CYRILLIC.search(stripped(outputs["en"])), outputs["en"]
    assert not LATIN_WORD.search(stripped(outputs["ru"])), outputs["ru"]
    assert "Visa •••• 4242" in outputs["en"] and "Visa •••• 4242" in outputs["ru"]
