"""Receipts: what was done, the state before and after as read back from the site, and a
screenshot of the result (password fields masked), kept as proof for a bank or a refund."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from automations.home import RECEIPTS, DataHome, utc_stamp
from automations.storage import write_private, write_private_json


def masked_screenshot(page: Page) -> bytes | None:
    try:
        return page.screenshot(full_page=True, mask=[page.locator("input[type=password]")], animations="disabled")
    except PlaywrightError:
        return None


def write_receipt(home: DataHome, action: str, document: dict[str, Any], page: Page | None) -> Path:
    """Writes `receipts/<UTC time>-<action>.json` (and `.png`); returns the JSON's path."""
    folder = home.folder(RECEIPTS)
    now = datetime.now(UTC)
    stamp = utc_stamp(now)
    base = folder / f"{stamp}-{action}"
    counter = 1
    while base.with_name(base.name + ".json").exists():
        counter += 1
        base = folder / f"{stamp}-{action}-{counter}"
    receipt = {"action": action, "at": now.isoformat(timespec="seconds"), **document}
    shot = masked_screenshot(page) if page is not None else None
    if shot is not None:
        write_private(base.with_name(base.name + ".png"), shot)
        receipt["screenshot"] = base.with_name(base.name + ".png").name
    write_private_json(base.with_name(base.name + ".json"), receipt)
    return base.with_name(base.name + ".json")
