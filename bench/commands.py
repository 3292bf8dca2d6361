"""How the bench runs what it measures: okko-cancel's CLI and the hand-written scripts, each
as a new process whose environment points at the mock site that bench/run.py serves."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from automations.browser import locate_browser
from bench.measure import Measured
from fixtures import DEMO_PASSWORD

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PY = sys.executable
CLI = [PY, str(REPO / "cli.py")]
CROWD_PASSWORD = DEMO_PASSWORD  # every crowd account's password (the scenario's template)
# The hand-written yardstick scripts log in by password, which the okko layout (the mock's
# default, by code only) refuses: the bench measures on our first design's layout.
BENCH_LAYOUT = "classic"


def say(message: str) -> None:
    """Progress goes to stderr: a bench run takes minutes, and stdout is left free."""
    print(message, file=sys.stderr, flush=True)


def base_env(data_dir: Path, base_url: str, **extra: str) -> dict[str, str]:
    """The measured commands' environment: no OKKO_* of the host's, and Python's bytecode
    cache on, as it is for an installed program (some machines turn it off for the whole
    environment, and okko-cancel would then compile its own modules on every start)."""
    env = {k: v for k, v in os.environ.items()
           if not k.upper().startswith("OKKO_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(OKKO_DATA_DIR=str(data_dir), OKKO_BASE_URL=base_url, **extra)
    return env


def script_browser() -> list[str]:
    """The hand-written scripts' optional argument: the browser okko-cancel would launch, so
    that both sides run the same executable."""
    browser = locate_browser()
    return [str(browser.executable)] if browser.executable else []


def checked(measured: Measured, what: str) -> Measured:
    """A run that failed measured nothing worth reporting: stop the bench and show why."""
    if measured.returncode != 0:
        raise SystemExit(f"{what} exited {measured.returncode}:\n{measured.stderr[-2000:]}")
    return measured
