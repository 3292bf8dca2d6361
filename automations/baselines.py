"""`check`'s structural baseline: the redacted ARIA snapshots of a green run, and what a later
run finds changed against them (automations/aria_tree.py compares the trees).

A baseline is a folder (`<data dir>/baselines/<site>/`, or `--baseline DIR` in CI): a `.yml`
per section or dialog, as Playwright wrote it and redacted, and `baseline.json`, which lists
them with the run that took them. Only a green run writes one, so a broken page never
becomes what the next run is measured against.

Per section or dialog, a run is:
- `changed`: elements appeared, disappeared or were renamed;
- `new`: seen now, not in the baseline (a dialog the cancel path did not have);
- `not reached`: in the baseline, not seen now (its flow failed before it, or the page that led
  there is gone);
- `same`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from automations.aria_tree import Change, diff_snapshots
from automations.errors import ConfigurationError
from automations.i18n import _
from automations.observation import Observation
from automations.storage import private_dir, write_private, write_private_json

INDEX = "baseline.json"
VERSION = 1
Status = Literal["changed", "new", "not reached", "same"]
ORDER = ("disappeared", "renamed", "moved", "appeared")


@dataclass(frozen=True)
class Baseline:
    folder: Path
    taken_at: str
    snapshots: dict[str, Observation]


@dataclass
class SectionDrift:
    observation: Observation  # this run's, or the baseline's when not reached
    status: Status
    changes: list[Change] = field(default_factory=list)
    baseline: str = ""
    current: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {**self.observation.to_dict(), "status": self.status,
                "changes": [{**change.to_dict(), "text": change.describe()} for change in self.changes],
                "baseline": self.baseline, "current": self.current}


@dataclass
class Drift:
    folder: Path
    taken_at: str | None  # None: there was no baseline yet
    sections: list[SectionDrift] = field(default_factory=list)
    kept: bool = False  # this run's snapshots are the baseline now

    @property
    def found(self) -> bool:
        return any(section.status != "same" for section in self.sections)

    def to_dict(self) -> dict[str, Any]:
        changed = [section for section in self.sections if section.status != "same"]
        return {"baseline": str(self.folder), "taken_at": self.taken_at, "found": self.found, "kept": self.kept,
                "sections": [section.to_dict() for section in changed],
                "unchanged": [section.observation.key for section in self.sections if section.status == "same"]}


def snapshot_file(key: str) -> str:
    """A snapshot's file name (a baseline's, a capture's): its key, safe in a path, `.yml`."""
    return re.sub(r"[^\w.-]+", "-", key, flags=re.ASCII).strip("-.") + ".yml"


def load_baseline(folder: Path) -> Baseline | None:
    """The baseline in `folder`; None when there is none, or none this version can read (the
    next green run writes it anew)."""
    try:
        index = json.loads((folder / INDEX).read_text("utf-8"))
        snapshots = {
            key: Observation(key, entry["kind"], entry.get("title", key),
                             (folder / entry["file"]).read_text("utf-8"), entry.get("step", ""),
                             entry.get("group", ""), entry.get("path", ""))
            for key, entry in index["snapshots"].items()
        }
        return Baseline(folder, str(index["taken_at"]), snapshots)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def compare(folder: Path, observations: Sequence[Observation]) -> Drift:
    """This run's snapshots against the baseline in `folder` (none there: no drift)."""
    baseline = load_baseline(folder)
    if baseline is None:
        return Drift(folder, None)
    drift = Drift(folder, baseline.taken_at)
    seen = {observation.key for observation in observations}
    for observation in observations:
        before = baseline.snapshots.get(observation.key)
        if before is None:
            drift.sections.append(SectionDrift(observation, "new", current=observation.snapshot))
            continue
        # What is gone first: that is what breaks a step.
        changes = sorted(diff_snapshots(before.snapshot, observation.snapshot), key=lambda c: ORDER.index(c.kind))
        drift.sections.append(SectionDrift(observation, "changed" if changes else "same", changes,
                                           before.snapshot if changes else "",
                                           observation.snapshot if changes else ""))
    for key, before in baseline.snapshots.items():
        if key not in seen:
            drift.sections.append(SectionDrift(before, "not reached", baseline=before.snapshot))
    return drift


def keep(folder: Path, observations: Sequence[Observation], *, site: str) -> None:
    """`observations` become the baseline in `folder`, replacing the one there."""
    private_dir(folder)
    entries: dict[str, dict[str, str]] = {}
    for observation in observations:
        name = snapshot_file(observation.key)
        write_private(folder / name, observation.snapshot.encode())
        entries[observation.key] = {**{k: v for k, v in observation.to_dict().items() if k != "key"}, "file": name}
    write_private_json(folder / INDEX, {"version": VERSION, "site": site,
                                        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
                                        "snapshots": entries})
    kept = {entry["file"] for entry in entries.values()}
    for stale in folder.glob("*.yml"):
        if stale.name not in kept:
            stale.unlink(missing_ok=True)


def refuse_unwritable(folder: Path) -> None:
    """Before any browser starts: `--baseline DIR` must be a folder this run can write (it is
    made when missing)."""
    if folder.exists() and not folder.is_dir():
        raise ConfigurationError(_("--baseline {path} is a file, not a folder").format(path=folder))
    existing = next((parent for parent in (folder, *folder.parents) if parent.exists()), None)
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigurationError(_("--baseline {path} cannot be written").format(path=folder))


def drift_of_run(folder: Path, observations: Sequence[Observation], *, steps_passed: bool, fail_on_drift: bool,
                 site: str) -> Drift:
    """Compares a run with its baseline, and keeps the run as the baseline when it is green:
    every step passed and, with `fail_on_drift`, nothing changed."""
    drift = compare(folder, observations)
    if steps_passed and not (fail_on_drift and drift.found):
        keep(folder, observations, site=site)
        drift.kept = True
    return drift
