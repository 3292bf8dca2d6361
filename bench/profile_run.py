"""`python bench/profile_run.py OUT.json CLI-ARGS...`: runs `cli.py CLI-ARGS` in this process
with a stopwatch around each phase of a run (imports with Playwright's driver starting
meanwhile, the browser, the context, the login, the flow, the receipt, closing) and writes
the phases to OUT.json. Only for the commands that drive a browser (see
automations/warm_start.py).

The wrappers only time; they change nothing that the run does."""

from __future__ import annotations

import atexit
import json
import runpy
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from types import ModuleType
from typing import Any

STARTED = time.perf_counter()
REPO = Path(__file__).resolve().parent.parent
phases: list[tuple[str, float]] = []


def add(name: str, seconds: float) -> None:
    phases.append((name, seconds))


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            add(name, time.perf_counter() - started)

    return wrapper


def instrument(cli: ModuleType) -> None:
    """Stopwatches on the phases after the start, once `cli` and all it uses are imported."""
    from automations import evidence, session
    from flows import runner

    session.start_browser = timed("browser launch", session.start_browser)
    session.new_context = timed("browser context", session.new_context)
    session.new_page = timed("page and overlay handlers", session.new_page)
    session.SavedSession.save = timed("save session.json", session.SavedSession.save)
    session.BrowserSession.close = timed("close the browser", session.BrowserSession.close)
    evidence.masked_screenshot = timed("… of which the screenshot", evidence.masked_screenshot)
    runner.write_receipt = timed("receipt (screenshot and JSON)", runner.write_receipt)
    runner.sign_in_once = timed("open settings, log in if needed", runner.sign_in_once)
    original_run_flow = runner.run_flow

    @wraps(original_run_flow)
    def run_flow(settings: Any, action: str, flow: Callable[..., Any], **kwargs: Any) -> Any:
        return original_run_flow(settings, action, timed("the flow itself", flow), **kwargs)

    cli.run_flow = run_flow  # type: ignore[attr-defined]  # imported by name: replaced where it is called


def main() -> None:
    out = Path(sys.argv[1])
    sys.path.insert(0, str(REPO))
    from automations import warm_start

    # The entry point imports the CLI's modules while the driver starts (see its docstring):
    # one phase, with the driver's start inside it.
    warm_start.start_playwright = timed("… of which Playwright's driver start", warm_start.start_playwright)
    start_driver_while_importing = warm_start.start_driver_while_importing

    @wraps(start_driver_while_importing)
    def started(app: str, start: Any = None) -> tuple[Any, ModuleType]:
        playwright, cli = start_driver_while_importing(app, start)
        add("Python start and imports, the driver starting meanwhile", time.perf_counter() - STARTED)
        instrument(cli)
        return playwright, cli

    warm_start.start_driver_while_importing = started

    def write() -> None:
        total = time.perf_counter() - STARTED
        out.write_text(json.dumps({"total": total, "phases": phases}, ensure_ascii=False, indent=2))

    atexit.register(write)
    sys.argv = ["cli.py", *sys.argv[2:]]
    runpy.run_path(str(REPO / "cli.py"), run_name="__main__")


if __name__ == "__main__":
    main()
