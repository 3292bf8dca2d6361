"""`capture`: what the site's settings look like, for a bug report, changing nothing.

It walks where `check` walks (every flow dry: each destructive dialog opened and backed out
of at its last confirmation), then opens every other tab of the settings' menu, and keeps an
ARIA snapshot and a screenshot of each section and dialog on the way (automations/observation.py),
personal data redacted in the snapshots and masked in the screenshots (automations/redaction.py).
Everything goes into one zip a person can attach to an issue:

    manifest.json               the site, when, each entry (section or dialog, the step that saw it),
                                and what was not reached
    settings.payments.yml       a section's snapshot, redacted
    settings.payments.png       its screenshot, masked
    payments.unbind_dialog.yml  a dialog's, …
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from automations.baselines import snapshot_file
from automations.errors import ConfigurationError, FlowFailed
from automations.home import CAPTURES, DataHome
from automations.i18n import _
from automations.observation import Kind, Observation, Recorder, recording
from automations.pages.settings import SETTINGS, SettingsSection
from automations.redaction import masked_screenshot
from automations.steps import StepLog
from automations.storage import write_private
from flows.check import checks
from flows.resilience import load


class Tab(SettingsSection):
    """A tab of the settings' menu that no page object knows («Предзаказы», «Защита детей»)."""

    def __init__(self, page: Page, title: str, path: str) -> None:
        self.TITLES = (title,)
        self.PATH = path
        super().__init__(page)


@dataclass
class CaptureReport:
    path: Path
    site: str
    observations: list[Observation] = field(default_factory=list)
    # The steps that failed, redacted: what the capture could not reach behind them.
    not_reached: list[dict[str, str]] = field(default_factory=list)
    taken_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def manifest(self) -> dict[str, Any]:
        entries = []
        for seen in self.observations:
            stem = snapshot_file(seen.key).removesuffix(".yml")
            files = [f"{stem}.yml", *([f"{stem}.png"] if seen.screenshot else [])]
            entries.append({**seen.to_dict(), "files": files})
        return {"site": self.site, "taken_at": self.taken_at, "entries": entries, "not_reached": self.not_reached}

    def to_dict(self) -> dict[str, Any]:
        return {"capture": str(self.path), "site": self.site, "taken_at": self.taken_at,
                "sections": [seen.key for seen in self.observations if seen.kind == "section"],
                "dialogs": [seen.key for seen in self.observations if seen.kind == "dialog"],
                "not_reached": self.not_reached}


def capture_path(home: DataHome, output: Path | None) -> Path:
    """Where the zip goes: `output`, checked before any browser starts, else captures/<UTC time>-capture.zip."""
    if output is None:
        return home.stamped(CAPTURES, "capture", ".zip")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigurationError(_("cannot write {path}: {error}").format(path=output, error=error.strerror)) from None
    if not os.access(output.parent, os.W_OK | os.X_OK):
        raise ConfigurationError(_("cannot write {path}: its folder is not writable").format(path=output))
    return output


def capture_pages(page: Page, steps: StepLog, *, output: Path) -> CaptureReport:
    recorder = Recorder(steps=steps, screenshot=_picture)
    failed: list[tuple[str, str, str]] = []
    with recording(recorder):
        for group, flow in checks():
            recorder.group = group
            try:
                flow(page, steps)
            except FlowFailed:
                record = steps.records[-1]
                failed.append((group, record.name, record.element))
                _back_to_settings(page)
        recorder.group = "settings"
        try:
            _other_tabs(page, steps, recorder)
        except FlowFailed:
            record = steps.records[-1]
            failed.append(("settings", record.name, record.element))
    text = recorder.redactor.text
    report = CaptureReport(output, _site(page), recorder.observations(),
                           [{"flow": group, "step": text(name), "looked_for": text(element)}
                            for group, name, element in failed])
    write_capture(report)
    return report


def _picture(seen: Locator, kind: Kind, devices: frozenset[str]) -> bytes | None:
    """A section: the whole page; a dialog: the dialog alone (behind it, the page is dimmed and
    the masks of its rows would lie over the dialog)."""
    return masked_screenshot(seen.page, devices, element=seen if kind == "dialog" else None)


def _other_tabs(page: Page, steps: StepLog, recorder: Recorder) -> None:
    """Every tab of the settings' menu the flows did not open, opened from the menu. Only
    tabs that stay in the settings: a menu's «Выйти» is never followed."""
    nav = SETTINGS.locate("nav", page)
    with steps.step(_("Read the settings' menu")):
        nav.first.wait_for()
        tabs = nav.first.get_by_role("link").or_(nav.first.get_by_role("tab"))
        listed = [(tab.inner_text().strip(), urlsplit(tab.get_attribute("href") or "").path) for tab in tabs.all()]
    for title, path in listed:
        if not title or not path.startswith("/settings") or path in recorder.paths:
            continue
        tab = Tab(page, title, path)
        with steps.step(_("Open «{section}»").format(section=title)):
            load(tab, tab.open_from_menu)


def _back_to_settings(page: Page) -> None:
    try:
        page.goto("/settings")
    except PlaywrightError:
        pass


def _site(page: Page) -> str:
    parts = urlsplit(page.url)
    return f"{parts.scheme}://{parts.netloc}"


def write_capture(report: CaptureReport) -> None:
    """The zip, private (0600) like every file the tool writes: its owner decides to share it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(report.manifest(), ensure_ascii=False, indent=2) + "\n")
        for seen in report.observations:
            stem = snapshot_file(seen.key).removesuffix(".yml")
            archive.writestr(f"{stem}.yml", seen.snapshot + "\n")
            if seen.screenshot:
                archive.writestr(f"{stem}.png", seen.screenshot)
    write_private(report.path, buffer.getvalue())


def capture_lines(document: dict[str, Any]) -> list[str]:
    """The capture for a terminal: where the zip is, what it holds, what it could not reach."""
    lines = [_("Captured {sections} sections and {dialogs} dialogs of {site} (personal data redacted and masked): "
               "{path}").format(sections=len(document["sections"]), dialogs=len(document["dialogs"]),
                                site=document["site"], path=document["capture"])]
    lines += [_("Not reached: step «{step}» ({flow}) failed, looking for {what}").format(
        step=missed["step"], flow=missed["flow"], what=missed["looked_for"] or _("the page"))
        for missed in document["not_reached"]]
    return lines
