"""Playwright's own log, as a person running a command meets it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from automations.driver import PLAYWRIGHT_LOG, show_playwright_log


@pytest.fixture
def listener_error() -> Iterator[Exception]:
    """What Playwright logs when a Ctrl-C lands while its driver answers a call."""
    yield RuntimeError("Cannot find command to respond: ocmj@104")
    show_playwright_log(False)


def log_it(error: Exception) -> None:
    PLAYWRIGHT_LOG.error("Error occurred in event listener", exc_info=error)


def test_a_listener_error_prints_nothing_without_verbose(
    listener_error: Exception, capsys: pytest.CaptureFixture[str]
) -> None:
    show_playwright_log(False)
    log_it(listener_error)
    assert capsys.readouterr().err == ""


def test_verbose_shows_it_as_one_line_without_a_traceback(
    listener_error: Exception, capsys: pytest.CaptureFixture[str]
) -> None:
    show_playwright_log(True)
    log_it(listener_error)
    assert capsys.readouterr().err == (
        "playwright: Error occurred in event listener: Cannot find command to respond: ocmj@104\n"
    )
