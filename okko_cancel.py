"""The `okko-cancel` console script: the CLI (cli.py), with Playwright's driver starting
while it imports (automations/warm_start.py)."""

from __future__ import annotations

from automations.warm_start import run_app
from flows.registry import BROWSER_COMMANDS, COMMANDS


def main() -> None:
    run_app("cli", COMMANDS, BROWSER_COMMANDS)
