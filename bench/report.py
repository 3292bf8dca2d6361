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
from bench.results import Pair, Results

TEMPLATE = "results.md.j2"
TARGETS = {
    "unbind_ratio": 1.3,
    "unbind_median": 2.5,
    "status_median": 1.5,
    "check": 10.0,
    "batch_speedup": 6.0,
    "peak_mb": 400.0,
}
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

    batch: Measured
    batch_accounts: int
    batch_workers: int
    batch_verified: str
    batch_pages: float
    batch_rate: float
    batch_cpu: float  # CPU-seconds per account, the site's included
    one_by_one: list[Measured]
    singles_used: str
    single_median: float
    single_mean: float
    single_rate: float
    single_cpu: float
    speedup: float
    ceiling: float
    script_batch: Measured
    script_batch_accounts: int
    script_cpu: float
    script_ceiling: float
    target_cpu: float  # CPU-seconds per account the batch target would need


def figures(results: Results, when: datetime) -> Figures:
    assert results.batch is not None and results.script_batch is not None
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
    singles, singles_used = calm(results.one_by_one, lambda m: m.disturbance)
    single_s = [m.seconds for m in singles]
    batch_rate = results.batch_accounts / results.batch.seconds
    single_rate = len(single_s) / sum(single_s)
    batch_cpu = (results.batch.cpu_seconds + results.batch_site_cpu) / results.batch_accounts
    single_cpu = ((sum(m.cpu_seconds for m in results.one_by_one) + results.one_by_one_site_cpu)
                  / len(results.one_by_one))
    script_cpu = ((results.script_batch.cpu_seconds + results.script_batch_site_cpu)
                  / results.script_batch_accounts)
    # What one account takes one by one, spread over every core, against what it costs in CPU:
    # no batch can be faster than that, however many workers run.
    one_by_one_on_every_core = cores() * mean(single_s)
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
        batch=results.batch, batch_accounts=results.batch_accounts, batch_workers=results.batch_workers,
        batch_verified=results.batch_verified, batch_pages=results.batch_pages, batch_rate=batch_rate,
        batch_cpu=batch_cpu,
        one_by_one=results.one_by_one, singles_used=singles_used, single_median=median(single_s),
        single_mean=mean(single_s), single_rate=single_rate, single_cpu=single_cpu,
        speedup=batch_rate / single_rate, ceiling=one_by_one_on_every_core / batch_cpu,
        script_batch=results.script_batch, script_batch_accounts=results.script_batch_accounts,
        script_cpu=script_cpu, script_ceiling=one_by_one_on_every_core / script_cpu,
        target_cpu=one_by_one_on_every_core / TARGETS["batch_speedup"],
    )
    found.met = {
        "unbind_ratio": found.unbind_ratio <= TARGETS["unbind_ratio"],
        "unbind_median": found.unbind_median <= TARGETS["unbind_median"],
        "status_median": found.status_median <= TARGETS["status_median"],
        "check": found.check_max <= TARGETS["check"],
        "batch_speedup": found.speedup >= TARGETS["batch_speedup"],
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
