"""RESULTS.md from a bench run: `figures` works out the medians, ratios, ceilings and verdicts
from the raw Results, and bench/results.md.j2 lays them out. The template only formats; every
number it shows is a field of Figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import TypeVar

import jinja2

from bench.commands import BENCH
from bench.host import QUIET_BUSY, QUIET_WAIT_S, cores
from bench.measure import Measured, median, spread
from bench.parts.profile import rows as profile_rows
from bench.parts.batch import LATENCIES
from bench.results import BatchPhase, BatchRun, Pair, Results

TEMPLATE = "results.md.j2"
TARGETS = {
    "unbind_ratio": 1.3,
    "unbind_median": 2.5,
    "status_median": 1.5,
    "check": 10.0,
    "batch_speedup": 6.0,  # at a real site's pace, okko-cancel's best batch against one by one
    "batch_floor": 0.9,  # with no latency, okko-cancel's best batch against the floor's best
    "peak_mb": 400.0,
}
LATENCY_WORDS = {"okko": "a real site's pace (the mock's `okko` profile: 150–300 ms a request)",
                 "none": "no latency (the mock answers at once: the CPU alone decides)"}
DISTURBED = 0.15  # a run during which other work took more than this share of the cores

Run = TypeVar("Run")


def calm(items: list[Run], disturbance: Callable[[Run], float], noun: str = "runs") -> tuple[list[Run], str]:
    """The runs that other work left alone, when there are three or more; else all of them."""
    kept = [item for item in items if disturbance(item) <= DISTURBED]
    if len(kept) >= 3:
        left_out = len(items) - len(kept)
        return kept, (f"the {len(kept)} of {len(items)} {noun} that other work left alone" if left_out
                      else f"all {len(items)} {noun}")
    return items, f"all {len(items)} {noun} (fewer than 3 were left alone by other work)"


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


@dataclass
class BatchRow:
    """One line of a latency's batch table: a run, or the runs one by one taken together."""

    tool: str
    workers: int
    accounts: int
    seconds: float
    rate: float  # accounts a second
    cpu: float  # CPU-seconds per account, the site's included
    load: str  # the 1-minute load average as it began (a range for the runs one by one)
    speedup: float = 0.0  # rate / the rate one by one
    vs_floor: float | None = None  # rate / the floor's at the same workers


def batch_rows(runs: list[BatchRun]) -> list[BatchRow]:
    """One by one (its runs taken together: accounts over the sum of their seconds), then each
    batch, okko-cancel's before the floor's at each number of workers."""
    singles = [run for run in runs if run.tool == "one by one"]
    seconds = sum(run.measured.seconds for run in singles)
    loads = [run.load for run in singles]
    single = BatchRow("one by one", 1, len(singles), seconds, len(singles) / seconds,
                      sum(run.cpu_per_account for run in singles) / len(singles),
                      f"{min(loads):.1f}–{max(loads):.1f}", 1.0)
    rows = [single]
    floors = {run.workers: run for run in runs if run.tool == "floor"}
    for run in sorted((r for r in runs if r.tool != "one by one"), key=lambda r: (r.workers, r.tool != "okko-cancel")):
        rate = run.accounts / run.measured.seconds
        floor = floors.get(run.workers)
        rows.append(BatchRow(run.tool, run.workers, run.accounts, run.measured.seconds, rate, run.cpu_per_account,
                             f"{run.load:.1f}", rate / single.rate,
                             rate / (floor.accounts / floor.measured.seconds) if floor and run.tool != "floor"
                             else None))
    return rows


@dataclass
class Figures:
    """Everything bench/results.md.j2 shows. A `*_used` field says which runs a median is of
    (see calm); lists of Measured are every run, shown one by one."""

    when: datetime
    targets: dict[str, float]
    met: dict[str, bool]  # by target
    disturbed: float
    cores: int

    machine: dict[str, str]
    loads: list[tuple[str, tuple[float, float, float]]]
    speed: list[tuple[str, float]]
    quiet_wait_s: float
    quiet_busy: float
    quiet_median: float | None  # None when BENCH_NO_WAIT skipped the waits
    quiet_busier: int
    quiet_count: int

    pairs: list[Pair]
    pairs_kept: list[Pair]
    pairs_used: str
    unbind_median: float
    unbind_script_median: float
    unbind_ratio: float
    unbind_largest_mb: float  # medians over every pair
    unbind_tree_mb: float
    all_unbind_median: float
    all_unbind_script_median: float
    all_unbind_ratio: float
    unbind_range: str
    unbind_script_range: str
    unbind_ratio_range: str
    peak: Measured

    profile_commands: list[str]
    profile_rows: list[tuple[str, list[float | None]]]
    profile_walls: list[float]

    status: list[Measured]
    status_baseline: list[Measured]
    status_used: str
    status_median: float
    status_script_median: float
    status_ratio: float
    status_logins: int

    check: list[Measured]
    checks_used: str
    check_median: float
    check_max: float

    batch: dict[str, list[BatchRow]]  # by latency: one by one, then each batch run
    latency_words: dict[str, str]
    best: dict[str, BatchRow]  # okko-cancel's fastest batch, by latency
    best_floor: dict[str, BatchRow]  # the floor's, by latency
    single: dict[str, BatchRow]  # one by one, by latency
    speedup: float  # okko-cancel's best batch at a real site's pace / one by one there
    floor_ratio: float  # okko-cancel's best batch with no latency / the floor's best there
    floor_cpu_ratio: float  # the floor's CPU-seconds per account / okko-cancel's, no latency
    batch_accounts: int
    batch_loads: str  # the 1-minute load averages the batch runs began at, as a range
    batch_phases: list[BatchPhase]
    batch_phases_floor: list[BatchPhase]
    batch_phases_accounts: int


def figures(results: Results, when: datetime) -> Figures:
    pairs, pairs_used = calm(results.pairs, lambda p: p.disturbance, "pairs")
    cli_s = [p.cli.seconds for p in pairs]
    script_s = [p.script.seconds for p in pairs]
    ratios = [p.ratio for p in pairs]
    status_pairs, status_used = calm(list(zip(results.status, results.status_baseline, strict=True)),
                                     lambda p: max(p[0].disturbance, p[1].disturbance))
    status_s = [m.seconds for m, _ in status_pairs]
    status_script_s = [m.seconds for _, m in status_pairs]
    checks, checks_used = calm(results.check, lambda m: m.disturbance)
    check_s = [m.seconds for m in checks]
    batch = {latency: batch_rows([r for r in results.batch_runs if r.latency == latency])
             for latency in LATENCIES if any(r.latency == latency for r in results.batch_runs)}
    best = {latency: max((r for r in rows if r.tool == "okko-cancel"), key=lambda r: r.rate)
            for latency, rows in batch.items()}
    best_floor = {latency: max((r for r in rows if r.tool == "floor"), key=lambda r: r.rate)
                  for latency, rows in batch.items()}
    single = {latency: rows[0] for latency, rows in batch.items()}
    loads = [r.load for r in results.batch_runs]
    peak = max(results.pairs, key=lambda p: p.cli.largest_rss).cli
    found = Figures(
        when=when, targets=TARGETS, met={}, disturbed=DISTURBED, cores=cores(),
        machine=results.machine, loads=results.loads, speed=results.speed,
        quiet_wait_s=QUIET_WAIT_S, quiet_busy=QUIET_BUSY,
        quiet_median=median(results.quiet_seen) if results.quiet_seen else None,
        quiet_busier=sum(b > QUIET_BUSY for b in results.quiet_seen), quiet_count=len(results.quiet_seen),
        pairs=results.pairs, pairs_kept=pairs, pairs_used=pairs_used,
        unbind_median=median(cli_s), unbind_script_median=median(script_s), unbind_ratio=median(ratios),
        unbind_largest_mb=median([p.cli.largest_mb for p in results.pairs]),
        unbind_tree_mb=median([p.cli.tree_mb for p in results.pairs]),
        all_unbind_median=median([p.cli.seconds for p in results.pairs]),
        all_unbind_script_median=median([p.script.seconds for p in results.pairs]),
        all_unbind_ratio=median([p.ratio for p in results.pairs]),
        unbind_range=spread(cli_s), unbind_script_range=spread(script_s), unbind_ratio_range=spread(ratios),
        peak=peak,
        profile_commands=list(results.profile), profile_rows=profile_rows(results.profile),
        profile_walls=[p.wall for p in results.profile.values()],
        status=results.status, status_baseline=results.status_baseline, status_used=status_used,
        status_median=median(status_s), status_script_median=median(status_script_s),
        status_ratio=median([a / b for a, b in zip(status_s, status_script_s, strict=True)]),
        status_logins=results.status_logins,
        check=results.check, checks_used=checks_used, check_median=median(check_s), check_max=max(check_s),
        batch=batch, latency_words=LATENCY_WORDS, best=best, best_floor=best_floor, single=single,
        speedup=best["okko"].rate / single["okko"].rate,
        floor_ratio=best["none"].rate / best_floor["none"].rate,
        floor_cpu_ratio=best_floor["none"].cpu / best["none"].cpu,
        batch_accounts=max(r.accounts for r in results.batch_runs),
        batch_loads=f"{min(loads):.1f}–{max(loads):.1f}",
        batch_phases=results.batch_phases, batch_phases_floor=results.batch_phases_floor,
        batch_phases_accounts=results.batch_phases_accounts,
    )
    found.met = {
        "unbind_ratio": found.unbind_ratio <= TARGETS["unbind_ratio"],
        "unbind_median": found.unbind_median <= TARGETS["unbind_median"],
        "status_median": found.status_median <= TARGETS["status_median"],
        "check": found.check_max <= TARGETS["check"],
        "batch_speedup": found.speedup >= TARGETS["batch_speedup"],
        "batch_floor": found.floor_ratio >= TARGETS["batch_floor"],
        "peak_mb": peak.largest_mb <= TARGETS["peak_mb"],
    }
    return found


def verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def render(results: Results, when: datetime | None = None) -> str:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(BENCH), undefined=jinja2.StrictUndefined,
        # Block tags on lines of their own leave no trace, and the file ends in a newline: the
        # template's lines are the report's lines.
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False,
    )
    environment.filters["f"] = format  # {{ x|f(".2f") }} is Python's f"{x:.2f}"
    environment.filters["verdict"] = verdict
    found = figures(results, when or datetime.now(UTC))
    return environment.get_template(TEMPLATE).render({f.name: getattr(found, f.name) for f in fields(found)})
