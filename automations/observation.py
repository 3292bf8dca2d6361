"""What `check` and `capture` see of the site on their way: an ARIA snapshot
(`locator.aria_snapshot()`) of each settings section's main content and of each dialog,
one per section or dialog, taken where the flows already are (no extra page loads).

The flows do not know whether anybody records: they call `observe(...)` at the moment a
section has loaded or a dialog has opened, which does nothing unless a run records (`with recording(Recorder()):`). A failed snapshot is never the
flow's failure: it is left out.

Snapshots are kept as the page gave them while the run goes on, and redacted when they are
handed over (`Recorder.observations()`): by then the devices section has taught the redactor
the device names, which the dialogs after it repeat.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from automations.aria_tree import parse_snapshot
from automations.redaction import Redactor

if TYPE_CHECKING:
    from automations.steps import StepLog

Kind = Literal["section", "dialog"]
# The element is on the page when a flow observes it: this only bounds a snapshot that hangs.
SNAPSHOT_MS = 5_000
# A picture of what was observed (the page, or the dialog), personal data masked; it is given
# the device names learnt so far.
Screenshot = Callable[[Locator, Kind, frozenset[str]], "bytes | None"]


@dataclass(frozen=True)
class Observation:
    key: str  # "settings.payments", "payments.unbind_dialog"
    kind: Kind
    title: str
    snapshot: str
    step: str = ""  # the step that was running
    group: str = ""  # its flow
    path: str = ""  # where the page was (a URL's path)
    screenshot: bytes | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "title": self.title, "step": self.step, "group": self.group,
                "path": self.path}


def section_key(path: str) -> str:
    """A section's key from its path: /settings/payments → settings.payments."""
    return ".".join(part for part in path.strip("/").split("/") if part) or "settings"


class Recorder:
    """Keeps the first snapshot of each key; `screenshot` (capture's) also takes a picture."""

    def __init__(self, *, steps: StepLog | None = None, screenshot: Screenshot | None = None) -> None:
        self.redactor = Redactor()
        self.steps = steps
        self.screenshot = screenshot
        self.group = ""
        self._seen: dict[str, Observation] = {}

    def observe(self, key: str, locator: Locator, kind: Kind, title: str, devices: bool) -> None:
        if key in self._seen:
            return
        try:
            snapshot = locator.aria_snapshot(timeout=SNAPSHOT_MS)
        except PlaywrightError:
            return
        if devices:
            self.redactor.learn_devices(snapshot)
        page = locator.page
        picture = self.screenshot(locator, kind, frozenset(self.redactor.devices)) if self.screenshot else None
        step = self.steps.records[-1].name if self.steps is not None and self.steps.records else ""
        self._seen[key] = Observation(key, kind, title, snapshot, step, self.group, urlsplit(page.url).path, picture)

    @property
    def paths(self) -> set[str]:
        """Where the sections observed so far were."""
        return {seen.path for seen in self._seen.values() if seen.kind == "section"}

    def observations(self) -> list[Observation]:
        """Everything observed, in order, redacted."""
        text = self.redactor.text
        return [replace(seen, title=text(_title(seen)), snapshot=text(seen.snapshot), step=text(seen.step))
                for seen in self._seen.values()]


def _title(seen: Observation) -> str:
    """A dialog is called what it calls itself (its accessible name), when it has a name."""
    if seen.kind == "dialog" and seen.title == seen.key:
        roots = parse_snapshot(seen.snapshot)
        if len(roots) == 1 and roots[0].name:
            return roots[0].name
    return seen.title


_recorder: ContextVar[Recorder | None] = ContextVar("okko_recorder", default=None)


@contextmanager
def recording(recorder: Recorder) -> Iterator[Recorder]:
    token = _recorder.set(recorder)
    try:
        yield recorder
    finally:
        _recorder.reset(token)


def observe(key: str, locator: Locator, *, kind: Kind = "dialog", title: str = "", devices: bool = False) -> None:
    """A section loaded or a dialog opened: recorded when a run records, else nothing.
    `devices`: the snapshot lists the account's devices (their names are learnt for redaction)."""
    recorder = _recorder.get()
    if recorder is not None:
        recorder.observe(key, locator, kind, title or key, devices)
