"""`watch`: does the account stay cancelled? Reads «Основные» (the e-mail and phone the hotline
asks for), «Подписки» and «Оплата услуг» (cards and the payment history), changing nothing,
and compares them with the receipts of past cancellations (automations/watch_rules.py).

Each finding goes into an evidence pack, `<data dir>/evidence/<UTC time>/`:

    findings.json               every finding, with its refund verdict and what to say on the hotline
    payment-history.png         «Оплата услуг» as it is now (password fields masked, as in receipts)
    1-<kind>/<receipt>.json     a copy of the cancellation receipt the finding rests on, its .png
                                and its .sha256 manifest
    1-<kind>/payment.json       the payment's row as the site shows it (a charge's finding)
    1-<kind>/refund.json        the refund rule's verdict for that payment, and the hotline's words
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from automations.evidence import masked_screenshot, write_receipt
from automations.home import EVIDENCE, DataHome, utc_stamp
from automations.models import Subscription
from automations.pages import PaymentsPage, ProfilePage, SubscriptionsPage
from automations.receipt_manifest import manifest_of
from automations.refund_rule import DEFAULT_WINDOW_DAYS, assess_subscription, hotline
from automations.steps import StepLog
from automations.storage import write_private, write_private_json
from automations.watch_rules import (
    ACTION,
    Cancellation,
    Finding,
    WatchReport,
    compare,
    compared,
    hotline_claim,
    site_today,
)
from flows.resilience import open_section


def watch_account(page: Page, steps: StepLog, *, changes: list[Cancellation], home: DataHome | None = None,
                  account: str | None = None, window_days: int = DEFAULT_WINDOW_DAYS,
                  today: date | None = None) -> WatchReport:
    """Reads the account and compares it with `changes` (watch_rules.read_cancellations);
    given `home`, writes the evidence pack of any findings and a receipt of the run."""
    contacts = open_section(steps, ProfilePage(page), ProfilePage.contacts, unless_shown=True)
    subs = open_section(steps, SubscriptionsPage(page), SubscriptionsPage.subscriptions)
    # Last, so that the page the receipt and the pack show is the payment history.
    cards, payments = open_section(steps, PaymentsPage(page), lambda section: (section.cards(), section.payments()))
    found = compare(changes, subs, cards, payments)
    receipts, since = compared(changes)
    day = site_today(today or date.today(), payments)
    report = WatchReport(site=_origin(page.url), account=account, today=day.isoformat(), receipts=receipts,
                         since=since, subscriptions=len(subs), cards=len(cards), payments=len(payments),
                         findings=[_detail(f, subs, payments, day, window_days, contacts) for f in found])
    if home is None:
        return report
    if found:
        report.evidence = str(write_pack(home, report, found, masked_screenshot(page)))
    document = report.to_dict()
    del document["action"], document["receipt"]
    document["steps"] = steps.to_list()
    report.receipt = str(write_receipt(home, ACTION, document, page))
    return report


def _detail(finding: Finding, subs: list[Subscription], payments: list[dict[str, str]], today: date,
            window_days: int, contacts: dict[str, str]) -> dict[str, Any]:
    """A finding for the report: what it is, the refund rule's verdict for its subscription's
    latest payment (none when the site no longer lists the subscription), the hotline's words."""
    document = finding.to_dict()
    name = (finding.subscription or "").casefold()
    sub = next((s for s in subs if name and s.name.casefold() == name), None)
    refund = assess_subscription(sub, payments, today, window_days) if sub else None
    document["refund"] = asdict(refund) if refund else None
    document["hotline"] = {**hotline(contacts, [refund] if refund else []), "say": hotline_claim(finding, contacts)}
    return document


def _new_folder(home: DataHome) -> Path:
    """evidence/<UTC time>/, another name when a run in the same second has it."""
    base = home.folder(EVIDENCE)
    stamp = utc_stamp()
    name, counter = stamp, 1
    while (base / name).exists():
        counter += 1
        name = f"{stamp}-{counter}"
    return home.folder(EVIDENCE, name)


def write_pack(home: DataHome, report: WatchReport, findings: list[Finding], history: bytes | None) -> Path:
    """The evidence pack (see the module's docstring); returns its folder. Each finding's entry
    in `report.findings` gains `files`: the pack's files that prove it."""
    folder = _new_folder(home)
    report.evidence = str(folder)
    if history is not None:
        write_private(folder / "payment-history.png", history)
    for number, (finding, entry) in enumerate(zip(findings, report.findings, strict=True), start=1):
        own = folder / f"{number}-{finding.kind.replace('_', '-')}"
        files: list[Path | None] = [_copy(Path(finding.cancellation.receipt), own)]
        if finding.cancellation.screenshot:
            files.append(_copy(Path(finding.cancellation.screenshot), own))
        # With its manifest, the copy verifies where it lies (`okko-cancel verify-receipt`).
        if manifest_of(Path(finding.cancellation.receipt)).is_file():
            files.append(_copy(manifest_of(Path(finding.cancellation.receipt)), own))
        if finding.payment is not None:
            write_private_json(own / "payment.json", finding.payment)
            files.append(own / "payment.json")
        write_private_json(own / "refund.json", {"refund": entry["refund"], "hotline": entry["hotline"]})
        files.append(own / "refund.json")
        entry["files"] = [str(path.relative_to(folder)) for path in files if path is not None]
    write_private_json(folder / "findings.json", report.to_dict())
    return folder


def _copy(source: Path, folder: Path) -> Path | None:
    """A copy of a receipt's file, 0600 as the original; None when it is gone since it was read."""
    try:
        data = source.read_bytes()
    except OSError:
        return None
    write_private(folder / source.name, data)
    return folder / source.name


def _origin(url: str) -> str:
    match = re.match(r"^[a-z]+://[^/]+", url)
    return match.group(0) if match else url
