"""The thread that runs whole commands for the tests: CLI invocations and runner calls.

Once any test in a process has used pytest-playwright's `page`, an asyncio loop runs on the
main thread, and Playwright's sync API (which the CLI uses, as its own process would)
refuses to start there; so commands run in a thread of their own. It is one thread for the
whole test process, with one Playwright and one browser lent to it
(`lent_to_this_thread`): a command then opens a context in that browser as a batch
worker's would, instead of starting a driver and a browser (~1.1 CPU-s each time, some
sixty times a suite). Commands whose settings ask for a browser of their own (a browser
path, `--connect`, `--headed`) still get one, launched or connected through the same
driver.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from typing import TypeVar

from automations.driver import lent_to_this_thread, start_playwright
from automations.session import start_browser
from automations.settings import Settings

T = TypeVar("T")


class CommandThread:
    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._resources = ExitStack()

    def run(self, call: Callable[[], T]) -> T:
        return self.submit(call).result()

    def submit(self, call: Callable[[], T]) -> Future[T]:
        """`call()` in the command thread while the test goes on (it plays a person, say)."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="okko-commands")
            self._executor.submit(self._start).result()
        return self._executor.submit(call)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.submit(self._resources.close).result()
            self._executor.shutdown()
            self._executor = None

    def _start(self) -> None:
        playwright = start_playwright()
        self._resources.callback(playwright.stop)
        browser = start_browser(playwright, Settings())  # launched as the CLI launches it, by default
        self._resources.callback(browser.close)
        self._resources.enter_context(lent_to_this_thread(playwright, browser))


COMMANDS = CommandThread()


def in_command_thread(call: Callable[[], T]) -> T:
    """`call()` in the command thread, its browser lent; returns what it returns or raises what it raises."""
    return COMMANDS.run(call)
