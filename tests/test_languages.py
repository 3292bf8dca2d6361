"""One language per run, on one command's whole output: every line English with --lang en,
every line Russian with --lang ru, but for what stays as it is in both (the site's quoted
labels, commands, settings, paths, URLs, card labels)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from automations.help_language import help_messages
from automations.i18n import Lang, use_language
from automations.wording import in_words
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from cli import cli
from tests.helpers import cli_env, run

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


# Whole commands or every flow: seconds each, so they start first (see conftest.py).
@pytest.mark.slow
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


def failing_step(result: Result) -> list[str]:
    """The failed step's line and the error line: what the site no longer has, in words."""
    return [line for line in result.stderr.splitlines() if line.startswith(("✗", "Ошибка: "))]


def usage_error(result: Result) -> list[str]:
    """Click's whole report; the command's synopsis after «Использование:» is code, as it is."""
    return [re.sub(r"^Использование: .*", "Использование:", line) for line in result.stderr.splitlines() if line]


# (arguments, exit code, what a person reads): each case in a Russian run.
RUSSIAN_RUNS: dict[str, tuple[list[str], int, Callable[[Result], list[str]]]] = {
    # okko.tv renamed the card's button: the step, and what it looked for, in words.
    "a failing step": (["--lang", "ru", "unbind-card", "--yes", "--timeout", "2"], 1, failing_step),
    "a usage error": (["--lang", "ru", "status", "--no-such-option"], 2, usage_error),
    # The mock's own commands take --lang after their name too.
    "the mock site's bad fault": (["mock-site", "--fault", "x=[", "--lang", "ru"], 2, usage_error),
}


@pytest.mark.slow
@pytest.mark.variant("classic")
@pytest.mark.parametrize("case", list(RUSSIAN_RUNS))
def test_what_goes_wrong_reads_in_russian(case: str, site: AdminClient, mock_site: MockSite, tmp_path: Path) -> None:
    arguments, exit_code, read = RUSSIAN_RUNS[case]
    site.set_faults(rename={"unbind_card": "Убрать карту"})

    result = run(arguments, cli_env(tmp_path, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD))

    assert result.exit_code == exit_code, result.output
    lines = read(result)
    assert lines and lines[-1].startswith("Ошибка: "), result.stderr
    for line in lines:
        assert not LATIN_WORD.search(stripped(line)), line
    assert site.account()["cards"], "the card is still bound"


class VisibleText(HTMLParser):
    """What a person reads on a page: its text and its images' alt and titles; without styles and
    code (commands, the site's addresses), which read alike in both languages."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("style", "script", "code")
        self.texts.extend(value for name, value in attrs if name in ("alt", "title") and value)

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("style", "script", "code")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.texts.append(data)


@pytest.mark.slow
def test_checks_html_report_and_junit_read_wholly_in_russian(data_dir: Path, tmp_path: Path) -> None:
    report, junit = tmp_path / "report", tmp_path / "check.xml"

    result = run(["--lang", "ru", "check", "--mock", "--variant", "breaking", "--timeout", "2", "--json",
                  "--report", str(report), "--junit", str(junit)], cli_env(data_dir, "https://okko.tv"))

    assert result.exit_code == 1, result.output
    html = (report / "index.html").read_text()
    assert '<html lang="ru">' in html
    page = VisibleText()
    page.feed(html)
    failures = list(ET.parse(junit).iter("failure"))
    texts = [*page.texts, *(failure.text or "" for failure in failures), *(f.get("message", "") for f in failures)]
    # The flows' names are the commands' (unbind-card), as in the terminal's table; okko-cancel is a name.
    flows = {step["group"] for step in json.loads(result.stdout)["steps"]}
    names = re.compile("|".join(map(re.escape, [*flows, "okko-cancel"])))
    english = [text for text in texts if LATIN_WORD.search(names.sub("", stripped(text)))]
    assert not english, english
    # What the report says, the failure's row and its screenshot included, and its trend.
    read = " ".join(" ".join(page.texts).split())
    assert "Проверка okko-cancel: не прошёл 1 шаг из" in read
    assert "страница в момент ошибки" in read and "Каждый шаг за последний 1 запуск" in read
    assert failures and (failures[0].text or "").startswith("шаг: ")


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "the button «Отвязать» in an article or a list item in the main area"),
    ("ru", "кнопка «Отвязать» в статье или в элементе списка в основной области"),
])
def test_a_choice_in_the_middle_of_a_locator_reads_naturally(lang: Lang, words: str) -> None:
    # The card tile's unbind button, as Playwright's message writes it.
    raw = ('get_by_role("main").get_by_role("article").or_(get_by_role("main").get_by_role("listitem"))'
           '.filter(has_text=re.compile(r"[•*·∙●xX]{1,4}\\s?4242(?!\\d)")).get_by_role("button", '
           'name=re.compile(r"(?:^\\s*Отвязать\\s*$)|(?:^\\s*Удалить\\ карту\\s*$)")).first')
    use_language(lang)

    assert in_words(raw) == words


# ------------------------------------------------------------------------------ --help


def command_paths(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[click.Command, list[str]]]:
    """Every command on the line, the group and its subgroups' own included."""
    yield command, list(path)
    for name, subcommand in sorted(getattr(command, "commands", {}).items()):
        yield from command_paths(subcommand, (*path, name))


def help_page(path: list[str], lang: Lang, command: click.Command) -> str:
    """The command's --help; --lang after the command's name where it takes one (the harder
    case: --help, eager, is answered before it), else before."""
    takes_lang = any(param.name == "lang" for param in command.params)
    args = [*path, "--help", "--lang", lang] if takes_lang else ["--lang", lang, *path, "--help"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


EXAMPLE_LINE = re.compile(r"^\s+(?:okko-cancel\b|[A-Z_]+=)")
METAVAR = re.compile(r"\b[A-Z][A-Z0-9_.]+\b")


def texts_read(page: str) -> list[str]:
    """What a person reads on a help page, a piece each: the headings, each paragraph, each
    row's description; without the usage line's synopsis, the rows' first column (option and
    command names, metavars) and the example command lines (but for their comments)."""
    texts: list[str] = []
    current: list[str] = []
    mode = "text"

    def flush() -> None:
        if current:
            texts.append(" ".join(current))
            current.clear()

    for line in page.splitlines():
        if not line.strip():
            flush()
            mode = "text" if mode == "usage" else mode
        elif not line[0].isspace():
            flush()
            heading, _colon, rest = line.partition(":")
            texts.append(heading)
            mode = "usage" if rest.strip() else "rows"
        elif mode == "text" and EXAMPLE_LINE.match(line):
            texts.append(line.partition(" # ")[2])
        elif mode == "text":
            current.append(line.strip())
        elif mode == "rows" and re.match(r"^  \S", line):
            flush()
            current.extend(re.split(r"\s{2,}", line.strip(), maxsplit=1)[1:])
        elif mode == "rows":
            current.append(line.strip())
    flush()
    return texts


def reads_english(text: str) -> bool:
    """More English words than Russian ones, what stays as it is in both left out (names,
    paths, URLs, commands, metavars and acronyms)."""
    rest = METAVAR.sub("", stripped(text))
    latin, russian = len(re.findall(r"\b[A-Za-z]{2,}\b", rest)), len(re.findall(r"\w*[А-Яа-яЁё]\w*", rest))
    return latin > 0 and latin >= russian


def test_every_help_page_reads_wholly_in_russian() -> None:
    english = {" ".join(["okko-cancel", *path]): text for command, path in command_paths(cli)
               for text in texts_read(help_page(path, "ru", command)) if reads_english(text)}

    assert not english, english


def test_every_help_page_in_english_shows_its_texts_as_written() -> None:
    for command, path in command_paths(cli):
        page = "".join(help_page(path, "en", command).split())  # Click rewraps, and breaks at hyphens
        written = [*help_messages(command.help), *(p.help for p in command.params if getattr(p, "help", None))]
        for text in [*written, "Usage:", "Options:", "Show this message and exit."]:
            assert "".join(text.split()) in page, (path, text)


@pytest.mark.parametrize(("args", "environ", "heading"), [
    (["--lang", "ru", "status", "--help"], {}, "Использование:"),
    (["status", "--help"], {"OKKO_LANG": "ru"}, "Использование:"),
    (["status", "--help"], {"OKKO_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "ru_RU.UTF-8"},
     "Использование:"),
    (["status", "--help"], {"OKKO_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_US.UTF-8"}, "Usage:"),
])
def test_help_speaks_the_language_chosen_as_for_any_run(args: list[str], environ: dict[str, str | None],
                                                          heading: str) -> None:
    result = CliRunner().invoke(cli, args, env=environ, catch_exceptions=False)

    assert result.output.startswith(heading), result.output
    assert ("Пример:" in result.output) == (heading != "Usage:")
