"""What one bench run measured: the parts (bench/parts/) fill a Results as they go, and
bench/report.py turns it into RESULTS.md. Raw measurements only; medians, ratios and verdicts
are the report's."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.measure import Measured


@dataclass
class Pair:
    """One `unbind-card --yes` run and one of the hand-written script, back to back."""

    cli: Measured
    script: Measured
    cli_first: bool
    host_s: float  # calibrate() just before the pair: larger is a slower host

    @property
    def ratio(self) -> float:
        return self.cli.seconds / self.script.seconds

    @property
    def disturbance(self) -> float:
        return max(self.cli.disturbance, self.script.disturbance)


@dataclass
class Profile:
    """One command's phases (name, median seconds) in the order they ran, and its wall time."""

    phases: list[tuple[str, float]]
    wall: float


@dataclass
class Results:
    machine: dict[str, str] = field(default_factory=dict)
    loads: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)
    speed: list[tuple[str, float]] = field(default_factory=list)  # calibrate() at the start, middle and end
    quiet_seen: list[float] = field(default_factory=list)  # the busy % before each measurement, see host.py

    pairs: list[Pair] = field(default_factory=list)

    status: list[Measured] = field(default_factory=list)
    status_baseline: list[Measured] = field(default_factory=list)  # bench/baseline_status.py, in alternation
    status_logins: int = 0

    check: list[Measured] = field(default_factory=list)

    batch: Measured | None = None
    batch_accounts: int = 0
    batch_workers: int = 0
    batch_verified: str = ""
    batch_site_cpu: float = 0.0  # CPU-seconds of this process (the mock site) during the batch
    batch_pages: float = 0.0  # HTML pages the site served per account during the batch
    one_by_one: list[Measured] = field(default_factory=list)
    one_by_one_site_cpu: float = 0.0
    script_batch: Measured | None = None  # bench/baseline_batch.py, cancelling script_batch_accounts accounts
    script_batch_accounts: int = 0
    script_batch_site_cpu: float = 0.0

    profile: dict[str, Profile] = field(default_factory=dict)  # by command
