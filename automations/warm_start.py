"""A command that drives a browser starts Playwright's driver while the app's modules are
still importing (the app's entry points call `run_app` with the app's module name).

Both are a third of a second at the start of every run, and they need not wait for each
other: Node starts the driver in a process of its own, on the other core, while this one
imports Click, pydantic and the flows. So the driver is started here, in the main thread
(sync Playwright belongs to the thread that starts it, and the commands run in this one),
while a second thread imports the app; the command then takes the driver through
`lent_to_this_thread`, and launches its browser with it. Measured on 2 cores: `status` and
`unbind-card` 0.25-0.3 s sooner in alternating runs, and `status` as fast as a hand-written
script that imports only Playwright (ratio 1.12 -> 1.00; bench/RESULTS.md).

Which commands drive a browser is guessed from the command line before Click has read it
(it has not been imported yet): a wrong guess costs time, never a result. A command that
needs no browser (`logout`, `guide`, `--help`) starts none; one that fails before it
launches one has only started the driver for nothing, and stops it on the way out.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType

# Playwright first and whole, before the thread that imports the rest starts: the two never
# import the same modules at once (each would wait on the other's half-made module).
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Playwright

from automations.driver import lent_to_this_thread, start_playwright
from automations.i18n import LANGS, Lang, _, use_language

HELP_OPTIONS = frozenset({"-h", "--help", "--version"})


def drives_a_browser(args: Sequence[str], commands: Collection[str], browser_commands: Collection[str]) -> bool:
    """Whether the command named first on the line (one of `commands`) is one of
    `browser_commands`; options may come before it (`okko-cancel --json status`), and a
    guide's route may be named like a command."""
    command = next((arg for arg in args if arg in commands), None)
    return command in browser_commands and not HELP_OPTIONS.intersection(args)


def language_of(args: Sequence[str]) -> Lang | None:
    """The language a command line asks for before Click has read it: `--lang` on the line,
    else OKKO_LANG; None leaves it to the locale."""
    for index, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        if value in LANGS:
            return value  # type: ignore[return-value]
    value = os.environ.get("OKKO_LANG", "").strip().lower()
    return value if value in LANGS else None  # type: ignore[return-value]


def start_driver_while_importing(
    app: str, start: Callable[[], Playwright] | None = None,
) -> tuple[Playwright | None, ModuleType]:
    """Playwright's driver, started in this thread (with `start`, by default
    `start_playwright`) while another imports the module `app`; both. No driver when it would not
    start: the command then meets that where it needs one, as it would have without this,
    after its own checks of the input."""
    with ThreadPoolExecutor(1, thread_name_prefix="import-app") as importer:
        importing = importer.submit(importlib.import_module, app)
        try:
            playwright: Playwright | None = (start or start_playwright)()
        except (PlaywrightError, OSError):
            playwright = None
        try:
            return playwright, importing.result()
        except BaseException:
            if playwright is not None:
                playwright.stop()
            raise


def run_app(app: str, commands: Collection[str], browser_commands: Collection[str],
            args: Sequence[str] | None = None) -> None:
    """Imports the module `app` and calls its `main()`, starting the driver meanwhile when
    the command line (`args`, by default sys.argv's) names one of `browser_commands`."""
    args = sys.argv[1:] if args is None else args
    try:
        if drives_a_browser(args, commands, browser_commands):
            playwright, module = start_driver_while_importing(app)
        else:
            playwright, module = None, importlib.import_module(app)
    except KeyboardInterrupt:
        # Ctrl-C while starting up: nothing has happened yet; no traceback, the shell's 130.
        use_language(language_of(args))
        print(_("Error: {message}").format(message=_("interrupted: nothing was changed")), file=sys.stderr)
        raise SystemExit(130) from None
    if playwright is None:
        module.main()
        return
    try:
        with lent_to_this_thread(playwright, None):
            module.main()
    finally:
        playwright.stop()
