"""Ctrl-C during a run: what was done before it, kept in a receipt marked interrupted, and
said in one line (exit 130).

A real Ctrl-C sends SIGINT to the whole foreground process group: this process hears it as
KeyboardInterrupt, and Playwright's driver and the browser get it too, so the page may be gone
by the time the receipt is written (then it goes without a screenshot). In a batch, only the
main thread hears it; a worker's run learns of it through an Event and stops at its next step.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from automations.errors import Interrupted
from automations.evidence import write_receipt
from automations.i18n import N_, _
from automations.settings import Settings
from automations.steps import StepLog, StepRecord

OnStep = Callable[[StepRecord, bool], None]

# The names the flows give the steps that change the account (the others open, read, check
# or log in), as the flows write them: what an interrupted run reports as done. A step is
# recognised in the run's language and in the flows' English; a new changing step goes here.
CHANGE_STEPS = (
    N_("Turn auto-renew off for «{subscription}»"),
    N_("Unbind {card}"),
    N_("Sign out on every device"),
    N_("Unlink the other devices"),
    N_("Unlink «{device}»"),
    N_("Send the letter to {address}"),
)
# Before the flows named their steps through the catalog they named them in Russian: a run
# of that code is still read right.
RUSSIAN_CHANGE_STEP = re.compile(r"(Отвязать|Отключить|Выйти|Отправить)\b")
# An interrupted run's screenshot, when the page still answers: short, since a page in the
# middle of loading never settles for one, and a person who pressed Ctrl-C is waiting.
INTERRUPTED_SCREENSHOT_MS = 2_000
# A batch worker whose browser vanished under a run waits this long to learn whether Ctrl-C
# took it (SIGINT reaches the browser as soon as this process, and the main thread hears it
# a moment later): a Ctrl-C is an interruption, a crash is a failure.
VANISHED_BROWSER_WAIT_S = 2.0


def is_change_step(name: str) -> bool:
    """Whether a step of this name changes the account (see CHANGE_STEPS)."""
    return RUSSIAN_CHANGE_STEP.match(name) is not None or any(
        _template(text).fullmatch(name) for msgid in CHANGE_STEPS for text in {msgid, _(msgid)})


def _template(text: str) -> re.Pattern[str]:
    """A step's name with its placeholders ({card}) as a pattern that any value fills."""
    return re.compile(".+".join(re.escape(part) for part in re.split(r"\{\w+\}", text)))


class RunInterrupted(Interrupted):
    """Ctrl-C during a run: what was done before it, the change step it came during (which
    may or may not have happened), and the receipt that keeps both."""

    def __init__(self, done: Sequence[str], under_way: str | None, receipt: Path | None) -> None:
        self.done = list(done)
        self.under_way = under_way
        self.receipt = receipt
        super().__init__(interrupted_message(self.done, under_way, receipt))

    def __reduce__(self) -> tuple[type[RunInterrupted], tuple[list[str], str | None, Path | None]]:
        return (type(self), (self.done, self.under_way, self.receipt))


def interrupted_message(done: Sequence[str], under_way: str | None, receipt: Path | None) -> str:
    """One line: what was done before Ctrl-C, what it came during, and where the receipt is."""
    maybe = (_("«{step}», which may or may not have been done (`okko-cancel status` shows)").format(step=under_way)
             if under_way is not None else "")
    if done:
        line = _("interrupted: done before Ctrl-C: {steps}").format(steps=", ".join(f"«{name}»" for name in done))
        if maybe:
            line += _("; Ctrl-C came during {step}").format(step=maybe)
    elif maybe:
        line = _("interrupted during {step}; nothing else was changed").format(step=maybe)
    else:
        line = _("interrupted before any change: nothing was changed")
    if receipt is not None:
        line += _("; receipt: {path}").format(path=receipt)
    return line


class CutShort(Exception):
    """Inside run_flow only: Ctrl-C (or a batch's interrupt) came; `in_flow` once the flow had begun."""

    def __init__(self, *, in_flow: bool) -> None:
        super().__init__("interrupted")
        self.in_flow = in_flow


class Progress:
    """The StepLog's `on_step`: passes each step on, notes which steps ended, and stops the
    run at a step's edge once a batch's `interrupt` is set."""

    def __init__(self, on_step: OnStep | None, interrupt: threading.Event | None) -> None:
        self.on_step = on_step
        self.interrupt = interrupt
        self.ended: set[int] = set()

    def __call__(self, record: StepRecord, done: bool) -> None:
        if done:
            self.ended.add(id(record))
        elif self.interrupt is not None and self.interrupt.is_set():
            record.outcome = "skipped"
            record.detail = _("not begun: interrupted (Ctrl-C)")
            raise KeyboardInterrupt
        if self.on_step is not None:
            self.on_step(record, done)
        if done and self.interrupt is not None and self.interrupt.is_set():
            raise KeyboardInterrupt

    def done(self, records: Sequence[StepRecord], changes: bool) -> tuple[list[str], str | None]:
        """The change steps that ended well, and the change step under way when the run was cut
        short (begun, not ended well), if any; none for a dry run, which changes nothing."""
        if not changes:
            return [], None
        done = [r.name for r in records if r.outcome == "ok" and id(r) in self.ended and is_change_step(r.name)]
        # The last step begun; an earlier failure (a session that ended, then a fresh login) is history.
        last = next((r for r in reversed(records) if r.outcome != "skipped"), None)
        cut = last is not None and (last.outcome == "failed" or id(last) not in self.ended)
        return done, last.name if cut and last is not None and is_change_step(last.name) else None


def record_interruption(
    settings: Settings, action: str, flow: Callable[..., Any], login: str | None, page: Page, steps: StepLog,
    progress: Progress, *, keep: bool,
) -> RunInterrupted:
    """The receipt of a run cut short, with what was done, and the error that says it."""
    done, under_way = progress.done(steps.records, changes=not is_dry_run(flow))
    for record in steps.records:
        if record.outcome == "ok" and id(record) not in progress.ended:
            record.outcome = "failed"
            record.detail = _("interrupted (Ctrl-C) before the step ended")
    receipt = None
    if keep:
        document = {"site": settings.base_url, "account": login, "interrupted": True, "done": done,
                    "under_way": under_way, "steps": steps.to_list()}
        try:
            receipt = write_receipt(settings.home, f"{action}-interrupted", document, _answering(page))
        except Exception:  # noqa: BLE001 - not a PlaywrightError: the driver itself is gone, so no screenshot
            receipt = write_receipt(settings.home, f"{action}-interrupted", document, None)
    return RunInterrupted(done, under_way, receipt)


def _answering(page: Page) -> Page | None:
    """The page for a screenshot, unless it is closed; a screenshot of a page that no longer
    answers fails quickly (after SIGINT to the process group the browser is gone) and the
    receipt goes without one."""
    try:
        if page.is_closed():
            return None
        page.set_default_timeout(INTERRUPTED_SCREENSHOT_MS)
    except Exception:  # noqa: BLE001 - whatever a driver that is gone raises: then no screenshot
        return None
    return page


def cut_short(interrupt: threading.Event | None, page: Page) -> bool:
    """Whether a run's failure is Ctrl-C's doing: a batch's interrupt is set, or the browser
    vanished and Ctrl-C is heard within a moment (SIGINT to the process group ends Chromium
    too, and its end may reach a step before KeyboardInterrupt reaches this thread)."""
    if interrupt is not None and interrupt.is_set():
        return True
    if _browser_answers(page):
        return False
    if interrupt is not None:
        return interrupt.wait(VANISHED_BROWSER_WAIT_S)
    if threading.current_thread() is threading.main_thread():
        _raise_if_ctrl_c_comes(VANISHED_BROWSER_WAIT_S)
    return False


def _raise_if_ctrl_c_comes(seconds: float) -> None:
    """In the main thread: waits for the SIGINT itself, at most `seconds`, and raises
    KeyboardInterrupt as soon as it comes (as Python's own handler would), or returns."""
    if not hasattr(signal, "sigtimedwait") or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        # Where a signal cannot be waited for (Windows): an interruptible wait, which the
        # KeyboardInterrupt ends early.
        threading.Event().wait(seconds)
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        heard = signal.sigtimedwait({signal.SIGINT}, seconds)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if heard is not None:
        raise KeyboardInterrupt


def _browser_answers(page: Page) -> bool:
    try:
        page.title()
    except Exception:  # noqa: BLE001 - a PlaywrightError, or whatever a driver that is gone raises
        return False
    return True


def is_dry_run(flow: Callable[..., Any]) -> bool:
    """A flow given as `partial(function, dry_run=True)`, as the CLI and batch give one, changes nothing."""
    return isinstance(flow, partial) and flow.keywords.get("dry_run") is True


@contextmanager
def deaf_to_ctrl_c() -> Iterator[None]:
    """While an interrupted run writes its receipt and closes its browser, a second Ctrl-C
    (people press it twice) is ignored: it would lose the record of what was done. Signals
    reach the main thread only, and only there can their handling change."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
