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
class BatchRun:
    """One measured run of many accounts (or, `one by one`, of one: `cancel --yes` as a new
    process), at a latency profile of the mock site."""

    latency: str  # the mock's profile: "okko" (150–300 ms a request) or "none"
    tool: str  # "okko-cancel" (batch), "floor" (bench/baseline_batch.py) or "one by one"
    workers: int
    accounts: int
    measured: Measured
    site_cpu: float  # CPU-seconds of the mock site (the bench's own process) meanwhile
    load: float  # the 1-minute load average as the run began
    done: int  # accounts cancelled, as read from the site's admin API

    @property
    def cpu_per_account(self) -> float:
        return (self.measured.cpu_seconds + self.site_cpu) / self.accounts


@dataclass
class BatchPhase:
    """A phase of a batch account (bench/profile_batch.py), per account."""

    phase: str  # "account / log in / Log in: password"
    cpu: float
    wall: float
    times: float  # how often it ran per account


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

    batch_runs: list[BatchRun] = field(default_factory=list)
    # bench/profile_batch.py, one worker, no latency: okko-cancel's phases and the floor's account
    batch_phases: list[BatchPhase] = field(default_factory=list)
    batch_phases_floor: list[BatchPhase] = field(default_factory=list)
    batch_phases_accounts: int = 0

    profile: dict[str, Profile] = field(default_factory=dict)  # by command
