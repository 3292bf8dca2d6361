"""Playwright's driver: how it starts, and lending a started one (with or without a
browser) to the commands that run in a thread.

Light on purpose: the command line's entry point (automations/warm_start.py) imports this
before anything else, to start the driver while the rest is importing.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from platformdirs import user_cache_path
from playwright.sync_api import Browser, Playwright, sync_playwright

from automations import APP_NAME

# Playwright logs an error in its own event listeners, traceback included, through logging's
# last-resort handler onto stderr: a Ctrl-C landing mid-message does that. The error reaches
# the flow anyway, as the next call's exception, so a person gets it once and never as a
# traceback; -v shows Playwright's line (show_playwright_log).
PLAYWRIGHT_LOG = logging.getLogger("playwright")
PLAYWRIGHT_LOG.addHandler(logging.NullHandler())
PLAYWRIGHT_LOG.propagate = False


class _OneLine(logging.Formatter):
    """A log line with its exception's message instead of its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f": {record.exc_info[1]}"
        return f"playwright: {text}"


class _ToStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a line comes (a test runner swaps it)."""

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


_VERBOSE_HANDLER = _ToStderr()
_VERBOSE_HANDLER.setFormatter(_OneLine())


def show_playwright_log(verbose: bool) -> None:
    """Playwright's own log lines on stderr under -v, one line each; nothing otherwise."""
    if verbose:
        PLAYWRIGHT_LOG.addHandler(_VERBOSE_HANDLER)
    else:
        PLAYWRIGHT_LOG.removeHandler(_VERBOSE_HANDLER)


def start_playwright() -> Playwright:
    """Playwright's driver, started with Node's compile cache: Node (22 and later) then keeps
    the driver's compiled code between runs, and the driver starts ~0.1 s sooner (measured:
    0.43 -> 0.34 s). Older Nodes ignore the variable; one the user set is kept."""
    if "NODE_COMPILE_CACHE" not in os.environ and "NODE_DISABLE_COMPILE_CACHE" not in os.environ:
        os.environ["NODE_COMPILE_CACHE"] = str(user_cache_path(APP_NAME, appauthor=False) / "node-compile-cache")
    return sync_playwright().start()


class Loan(NamedTuple):
    playwright: Playwright
    browser: Browser | None


_lent = threading.local()


@contextmanager
def lent_to_this_thread(playwright: Playwright, browser: Browser | None) -> Iterator[None]:
    """Meanwhile, a session opened in this thread takes `playwright` where it would start
    Playwright's driver (~0.3 s), and opens its context in `browser`, if one is lent, where
    it would launch one (~0.5 s and ~0.8 CPU-s more); one whose settings want a browser of
    their own (see `session.wants_own_browser`) launches that with `playwright`.

    For a host that runs many commands in one process (the test suite runs the CLI some
    sixty times), and for the entry point, which starts the driver early. Sync Playwright
    objects belong to the thread that made them (and a second sync Playwright cannot start
    there), hence a thread's loan and not a global one."""
    previous = current_loan()
    _lent.loan = Loan(playwright, browser)
    try:
        yield
    finally:
        _lent.loan = previous


def current_loan() -> Loan | None:
    loan: Loan | None = getattr(_lent, "loan", None)
    return loan
