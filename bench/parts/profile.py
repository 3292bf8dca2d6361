"""A stopwatch on each phase of `unbind-card --yes` (a fresh login) and of `status` (the saved
session), by bench/profile_run.py: the median of three runs of each, phase by phase."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.commands import BENCH, BENCH_LAYOUT, PY, REPO, base_env, checked, say
from bench.host import wait_for_quiet
from bench.measure import median, run
from bench.results import Profile, Results
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient

RUNS = 3


def measure(results: Results, site_url: str, admin: AdminClient, work: Path) -> None:
    say("profile of unbind-card and status runs")
    results.profile = {
        "unbind-card --yes": profile(results, site_url, admin, work, ["unbind-card", "--yes"], fresh=True),
        "status": profile(results, site_url, admin, work, ["status"], fresh=False),
    }
    for phase, seconds in rows(results.profile):
        say(f"  {phase}: " + ", ".join("—" if s is None else f"{s:.3f} s" for s in seconds))


def profile(results: Results, site_url: str, admin: AdminClient, work: Path, command: list[str],
            fresh: bool) -> Profile:
    runs: list[dict[str, Any]] = []
    admin.reset("default", BENCH_LAYOUT)
    for n in range(RUNS + 1):
        wait_for_quiet(results.quiet_seen)
        if fresh:
            admin.reset("default", BENCH_LAYOUT)
        data = work / f"profile-{command[0]}-{n if fresh else 0}"
        out = work / f"profile-{command[0]}-{n}.json"
        env = base_env(data, site_url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
        measured = checked(run([PY, str(BENCH / "profile_run.py"), str(out), *command], env, REPO), "profile_run.py")
        if n == 0:
            continue  # warm-up (and, for status, the run that saves the session)
        document = json.loads(out.read_text())
        document["wall"] = measured.seconds
        runs.append(document)
    names: list[str] = []
    for document in runs:
        for name, _ in document["phases"]:
            if name not in names:
                names.append(name)
    for n, name in enumerate(names[:-1]):
        if name.startswith("…"):  # a phase inside the next one (it ends first): list it under that one
            names[n], names[n + 1] = names[n + 1], name
    phases = []
    for name in names:
        sums = [sum(s for n, s in document["phases"] if n == name) for document in runs]
        phases.append((name, median(sums)))
    inside = median([d["total"] for d in runs])
    counted = sum(s for name, s in phases if not name.startswith("…"))  # "… of which": inside the phase above
    phases.append(("the rest: settings, output, keyring, between phases", inside - counted))
    phases.append(("interpreter start-up and exit", median([d["wall"] for d in runs]) - inside))
    return Profile(phases, median([d["wall"] for d in runs]))


def rows(profiles: dict[str, Profile]) -> list[tuple[str, list[float | None]]]:
    """Every phase any command went through, in order, with each command's seconds (None where
    a command has no such phase: `status` writes no receipt)."""
    phases: list[str] = []
    for found in profiles.values():
        for phase, _ in found.phases:
            if phase not in phases:
                phases.append(phase)
    return [(phase, [next((s for p, s in found.phases if p == phase), None) for found in profiles.values()])
            for phase in phases]
