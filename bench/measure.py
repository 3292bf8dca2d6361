"""Running a command as a new process and measuring it: wall time, exit code, and memory —
the largest single process's peak RSS, and the largest sum of RSS over the process tree
(Chromium's processes share pages, so the sum over-counts; the largest process is the
figure the target is about).

The tree is sampled every 100 ms: each process's peak comes from the kernel's high-water
mark (VmHWM), so a short peak between two samples still counts, and the sampling costs
the 2-core machine under test about 1% of a core rather than the 20% that sampling RSS
every 20 ms did.

CPU time is the kernel's own account of every process of the tree once it has ended
(getrusage(RUSAGE_CHILDREN)), not a sum of samples. That account holds only the processes
someone waited for, and Chromium leaves some of its own to whoever adopts orphans (they
were half of a batch's CPU): so this process is made the tree's subreaper
(PR_SET_CHILD_SUBREAPER), and waits for every orphan that ends under it."""

from __future__ import annotations

import ctypes
import os
import resource
import statistics
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import psutil

SAMPLE_S = 0.1
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


@dataclass
class Measured:
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    largest_rss: int  # bytes, the largest single process at any sample
    largest_name: str
    tree_rss: int  # bytes, the largest sum over the tree at any sample
    cpu_seconds: float  # user + system over every process of the tree, as the kernel counted it
    others_cpu_seconds: float = 0.0  # what the rest of the machine used meanwhile, beyond this process

    @property
    def disturbance(self) -> float:
        """The share of the machine's cores that other work took during the run."""
        cores = psutil.cpu_count(logical=True) or 1
        return max(0.0, self.others_cpu_seconds) / (self.seconds * cores)

    @property
    def largest_mb(self) -> float:
        return self.largest_rss / 2**20

    @property
    def tree_mb(self) -> float:
        return self.tree_rss / 2**20


def _label(process: psutil.Process) -> str:
    try:
        args = process.cmdline()
    except psutil.Error:
        return "?"
    if not args:
        return process.name()
    kind = next((a.split("=", 1)[1] for a in args if a.startswith("--type=")), "")
    name = os.path.basename(args[0])
    if name.startswith("python") and len(args) > 1:
        name = f"{name} {os.path.basename(args[1])}"
    return f"{name} ({kind})" if kind else name


def adopt_orphans() -> None:
    """Makes this process the subreaper of the commands it runs (Linux; elsewhere nothing):
    their orphans become its children, so that their CPU time reaches RUSAGE_CHILDREN once
    reaped."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def reap_orphans(command_pid: int) -> None:
    """Waits for every ended child but the command itself (subprocess waits for that one)."""
    while True:
        try:
            ended = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if ended is None or ended.si_pid == command_pid:
            return
        try:
            os.waitpid(ended.si_pid, 0)
        except ChildProcessError:
            return


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class TreeSampler:
    """Samples the RSS of a process and all its descendants until stopped, waiting for the
    orphans among them as they end."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.root = psutil.Process(pid)
        self.largest = 0
        self.largest_name = ""
        self.tree = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            reap_orphans(self.pid)
            self._stop.wait(SAMPLE_S)

    def sample(self) -> None:
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        for process in processes:
            try:
                rss = process.memory_info().rss
            except psutil.Error:
                continue
            total += rss
            peak = max(rss, _high_water_mark(process.pid))
            if peak > self.largest:
                self.largest = peak
                self.largest_name = _label(process)
        self.tree = max(self.tree, total)


def _high_water_mark(pid: int) -> int:
    """The process's peak RSS so far, in bytes (Linux); 0 where the kernel does not say."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _busy(times: Any) -> float:
    return float(sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq", "steal")))


def run(command: Sequence[str], env: Mapping[str, str], cwd: Path, timeout_s: float = 600) -> Measured:
    """Runs `command`; besides its own measures, notes how much CPU the rest of the machine
    (other than the command's tree and this process, which serves the mock site) used."""
    adopt_orphans()
    machine_before, own_before = _busy(psutil.cpu_times()), _busy(psutil.Process().cpu_times())
    children_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(list(command), env=dict(env), cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeSampler(process.pid) as sampler:
        stdout, stderr = process.communicate(timeout=timeout_s)
    seconds = time.perf_counter() - started
    # Orphans that outlive the command by a moment (a browser's helpers closing): theirs too.
    _, alive = psutil.wait_procs(psutil.Process().children(), timeout=10)
    for orphan in alive:
        orphan.kill()
    psutil.wait_procs(alive, timeout=5)
    reap_orphans(process.pid)
    tree_cpu = _children_cpu() - children_before
    others = (_busy(psutil.cpu_times()) - machine_before) - (_busy(psutil.Process().cpu_times()) - own_before) - tree_cpu
    return Measured(seconds, process.returncode, stdout, stderr, sampler.largest, sampler.largest_name, sampler.tree,
                    tree_cpu, others)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}"
