"""The machine the bench runs on: what it is, how fast it is at the moment, and whether other
work is using its cores (a shared virtual machine is neither constant nor quiet)."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from importlib.metadata import version as package_version
from pathlib import Path

import psutil

from automations.browser import locate_browser

QUIET_BUSY = 25.0  # % of all cores busy with other work: below this the machine counts as quiet
QUIET_WAIT_S = 90.0


def wait_for_quiet(seen: list[float]) -> None:
    """On a shared machine, wait (up to QUIET_WAIT_S) until other work leaves the cores alone,
    so that a measurement is of okko-cancel and not of a neighbour's test suite. Appends the
    busy % seen once quiet (or given up) to `seen`, for the report."""
    if os.environ.get("BENCH_NO_WAIT"):
        return
    deadline = time.monotonic() + QUIET_WAIT_S
    busy = psutil.cpu_percent(interval=1.0)
    while busy > QUIET_BUSY and time.monotonic() < deadline:
        busy = psutil.cpu_percent(interval=2.0)
    seen.append(busy)


def calibrate() -> float:
    """Seconds for a fixed piece of single-threaded Python work (best of three): the host's
    speed at that moment, which on a shared virtual machine is not constant."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        best = min(best, time.perf_counter() - started)
    return best


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


def own_cpu() -> float:
    """CPU-seconds of this process so far: the mock site's share, since it is served from here."""
    times = psutil.Process().cpu_times()
    return times.user + times.system


def cores() -> int:
    return psutil.cpu_count(logical=True) or 1


def machine() -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    browser = locate_browser()
    version = ""
    if browser.executable is not None:
        try:
            version = subprocess.run([str(browser.executable), "--version"], capture_output=True, text=True,
                                     timeout=30, check=False).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            version = ""
    return {
        "CPU": f"{cpu}, {psutil.cpu_count(logical=True)} logical cores ({psutil.cpu_count(logical=False)} physical)",
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": platform.python_version(),
        "Playwright": package_version("playwright"),
        "browser": f"{browser.label} — {version or 'version unknown'}",
    }
