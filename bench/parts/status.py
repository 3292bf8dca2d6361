"""`status` with the saved session (a first, unmeasured run logs in and saves it), in
alternation with bench/baseline_status.py reading the same three sections with the same
cookies."""

from __future__ import annotations

from pathlib import Path

from bench.commands import (
    BENCH,
    BENCH_LAYOUT,
    CLI,
    PY,
    REPO,
    base_env,
    checked,
    say,
    script_browser,
)
from bench.host import wait_for_quiet
from bench.measure import median, run
from bench.results import Results
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient


def measure(results: Results, site_url: str, admin: AdminClient, runs: int, work: Path) -> None:
    admin.reset("default", BENCH_LAYOUT)
    data = work / "status"
    env = base_env(data, site_url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
    say("status: a first run logs in and saves the session (not counted)")
    checked(run([*CLI, "status"], env, REPO), "status (first)")
    before = admin.event_types().count("login_ok")
    baseline = [PY, str(BENCH / "baseline_status.py"), str(data / "session.json"), *script_browser()]
    checked(run(baseline, env, REPO), "baseline_status.py (warm-up)")
    for n in range(1, runs + 1):
        wait_for_quiet(results.quiet_seen)
        measured = checked(run([*CLI, "status"], env, REPO), "status")
        floor = checked(run(baseline, env, REPO), "baseline_status.py")
        results.status.append(measured)
        results.status_baseline.append(floor)
        say(f"  run {n}: {measured.seconds:.2f} s (script {floor.seconds:.2f} s)")
    # The site's own event log, not okko-cancel's word, shows that the session was reused.
    results.status_logins = admin.event_types().count("login_ok") - before
    say(f"  median {median([m.seconds for m in results.status]):.2f} s, script "
        f"{median([m.seconds for m in results.status_baseline]):.2f} s; logins {results.status_logins}")
