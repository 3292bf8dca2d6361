"""Receipts: what was done, the state before and after as read back from the site, the site's
answers to the change requests (automations/site_answers.py), a screenshot of the result
(password fields masked), and a SHA-256 manifest of those files
(automations/receipt_manifest.py), kept as proof for a bank or a refund."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from automations.home import RECEIPTS, DataHome, utc_stamp
from automations.i18n import _
from automations.receipt_manifest import write_manifest
from automations.site_answers import answers_on
from automations.storage import write_private, write_private_json


def masked_screenshot(page: Page) -> bytes | None:
    try:
        return page.screenshot(full_page=True, mask=[page.locator("input[type=password]")], animations="disabled")
    except PlaywrightError:
        return None


def write_receipt(home: DataHome, action: str, document: dict[str, Any], page: Page | None) -> Path:
    """Writes `receipts/<UTC time>-<action>.json` (and `.png`, and the `.sha256` manifest of
    both); returns the JSON's path. The site's answers are those recorded on the page's
    context (the runner records them); a receipt without a page has none."""
    folder = home.folder(RECEIPTS)
    now = datetime.now(UTC)
    stamp = utc_stamp(now)
    base = folder / f"{stamp}-{action}"
    counter = 1
    while base.with_name(base.name + ".json").exists():
        counter += 1
        base = folder / f"{stamp}-{action}-{counter}"
    receipt = {"action": action, "at": now.isoformat(timespec="seconds"), **document}
    answers = answers_on(page)
    if answers is not None:
        receipt["site_answers"] = answers
        if not answers:
            receipt["site_answers_note"] = (_("dry run: nothing was sent to the site") if document.get("dry_run")
                                            else _("no change request was sent to the site"))
    files = [base.with_name(base.name + ".json")]
    shot = masked_screenshot(page) if page is not None else None
    if shot is not None:
        files.append(base.with_name(base.name + ".png"))
        write_private(files[1], shot)
        receipt["screenshot"] = files[1].name
    write_private_json(files[0], receipt)
    write_manifest(files[0], files)
    return files[0]
