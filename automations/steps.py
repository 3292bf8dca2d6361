"""A run's steps: each named, timed and recorded, so that progress can be shown as it goes
and a failure names the step and the element the site no longer has."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automations.errors import FlowFailed, OkkoCancelError, SiteUnreachable
from automations.i18n import N_, _
from automations.proposals import proposal_for
from automations.wording import in_words

Outcome = Literal["ok", "failed", "skipped"]
# The browser's own words for "no site answered there": a closed port, a name that does not
# resolve, a dropped connection, and a port Chromium refuses to dial at all (UNSAFE_PORT:
# 1, 21, 25, 6000 and the like), which is as unreachable as a closed one.
UNREACHABLE = re.compile(r"net::ERR_(CONNECTION_REFUSED|NAME_NOT_RESOLVED|ADDRESS_UNREACHABLE|CONNECTION_RESET|"
                         r"CONNECTION_CLOSED|EMPTY_RESPONSE|TIMED_OUT|INTERNET_DISCONNECTED|CONNECTION_TIMED_OUT|"
                         r"CONNECTION_FAILED|CONNECTION_ABORTED|NAME_RESOLUTION_FAILED|NETWORK_CHANGED|"
                         r"ADDRESS_INVALID|UNSAFE_PORT|PROXY_CONNECTION_FAILED)\b")
# What to do about an error whose fix is not obvious from the browser's words.
UNREACHABLE_HINTS = {
    "ERR_UNSAFE_PORT": N_("browsers never connect to this port: serve the site on another one"),
}
WAITING_FOR = re.compile(r"waiting for (.+)")


@dataclass
class StepRecord:
    name: str
    outcome: Outcome = "ok"
    seconds: float = 0.0
    detail: str = ""
    element: str = ""  # what the step looked for, in words
    locator: str = ""  # the same as Playwright wrote it, for -v and the receipts
    url: str = ""
    group: str = ""
    screenshot: str = ""
    trace: str = ""
    proposal: dict[str, Any] | None = None  # locators.toml lines for a missing element (automations/proposals.py)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def element_of(error: PlaywrightError) -> str:
    """The locator Playwright was waiting for, from its error message."""
    match = WAITING_FOR.search(str(error))
    return match.group(1).strip() if match else "the page"


@dataclass
class StepLog:
    """Records steps; `on_step` sees each one start (outcome None) and end."""

    on_step: Callable[[StepRecord, bool], None] = lambda record, done: None
    url: Callable[[], str] = lambda: ""
    records: list[StepRecord] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[StepRecord]:
        record = StepRecord(name)
        self.records.append(record)
        self.on_step(record, False)
        started = time.perf_counter()
        try:
            yield record
        except PlaywrightTimeoutError as error:
            record.proposal = proposal_for(element_of(error))  # before _fail, so that on_step shows it
            self._fail(record, started, element_of(error), _("the element did not appear in time"))
            raise FlowFailed(name, record.element, _("not found at {url}").format(url=record.url)) from None
        except PlaywrightError as error:
            message = str(error).splitlines()[0]
            unreachable = UNREACHABLE.search(message)
            if unreachable:
                self._fail(record, started, "", message)
                hint = UNREACHABLE_HINTS.get(unreachable.group(0).removeprefix("net::"))
                said = _("the site could not be reached during {step!r}: {error}").format(step=name, error=message)
                raise SiteUnreachable(_("{message} ({hint})").format(message=said, hint=_(hint)) if hint else said
                                      ) from None
            self._fail(record, started, element_of(error), message)
            raise FlowFailed(name, record.element, message) from None
        except OkkoCancelError as error:
            element = error.element if isinstance(error, FlowFailed) else ""
            self._fail(record, started, element, str(error))
            raise
        record.seconds = time.perf_counter() - started
        record.url = self._current_url()
        self.on_step(record, True)

    def _current_url(self) -> str:
        try:
            return self.url()
        except PlaywrightError:
            return ""

    def _fail(self, record: StepRecord, started: float, element: str, detail: str) -> None:
        record.outcome = "failed"
        record.seconds = time.perf_counter() - started
        # A raw locator from Playwright's message is kept as it is, and told in words.
        record.locator = element if element.startswith(("get_by_", "locator(", "internal:")) else ""
        record.element = in_words(element) if record.locator else _(element) if element == "the page" else element
        record.detail = detail
        record.url = self._current_url()
        self.on_step(record, True)

    def to_list(self) -> list[dict[str, Any]]:
        return [record.to_dict() for record in self.records]
