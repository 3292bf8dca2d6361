"""What the flows read back from the site: plain data, JSON-ready for receipts and `--json`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from automations.dates import card_last4


@dataclass(frozen=True)
class Subscription:
    name: str
    price: str
    auto_renew: bool
    next_charge: str | None
    active_until: str | None
    billed: str
    store: str | None = None
    manage_hint: str | None = None

    @property
    def card_billed(self) -> bool:
        return self.store is None


@dataclass(frozen=True)
class Card:
    label: str
    primary: bool

    @property
    def last4(self) -> str:
        """The number's last four digits, however the site masks the rest."""
        return card_last4(self.label) or self.label[-4:]


@dataclass(frozen=True)
class Device:
    name: str
    last_seen: str | None
    current: bool
    kind: str | None = None


@dataclass(frozen=True)
class AccountState:
    subscriptions: list[Subscription] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> AccountState:
        return cls(
            subscriptions=[Subscription(**s) for s in document["subscriptions"]],
            cards=[Card(**c) for c in document["cards"]],
            devices=[Device(**d) for d in document["devices"]],
        )

    @property
    def renewing(self) -> list[Subscription]:
        return [s for s in self.subscriptions if s.auto_renew and s.card_billed]

    @property
    def other_devices(self) -> list[Device]:
        return [d for d in self.devices if not d.current]


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
