"""What a flow reports: what it changed (or would have), and the state around it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ActionReport:
    action: str
    dry_run: bool
    changed: list[str] = field(default_factory=list)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def already_done(self) -> bool:
        return not self.changed

    @property
    def outcome(self) -> str:
        if self.already_done:
            return "already_done"
        return "dry_run" if self.dry_run else "done"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "outcome": self.outcome}
