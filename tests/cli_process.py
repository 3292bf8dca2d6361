"""`python cli.py ARGS` as a process of its own, for what only a process shows: signals, and
two runs at once. Each starts in a session (and process group) of its own, as a shell starts a
foreground job, so that a test can send SIGINT to the whole group as Ctrl-C does, and its
stderr is read as it is written, so that a test waits on what the run says, not on the clock."""

from __future__ import annotations

import os
import select
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Generous: a loaded 2-core machine starts Chromium slowly; a test waits this long only when it fails.
READ_TIMEOUT_S = 60.0


def gated(command: str) -> str:
    """A code command that first waits for a line on the run's stdin (it inherits it): the
    login, and the run's lock with it, is held until the test writes that line."""
    return f"sh -c {shlex.quote('read go && exec ' + command)}"


class CliProcess:
    def __init__(self, args: list[str], env: dict[str, str | None], *, stdin: bool = False) -> None:
        environment = {name: value for name, value in os.environ.items() if env.get(name, value) is not None}
        environment.update({name: value for name, value in env.items() if value is not None})
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "cli.py", *args], cwd=REPO, env=environment,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        )
        self.stderr = b""

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_for(self, text: str) -> None:
        """Reads stderr until `text` has appeared on it."""
        wanted = text.encode()
        assert self.process.stderr is not None
        fd = self.process.stderr.fileno()
        deadline = time.monotonic() + READ_TIMEOUT_S
        while wanted not in self.stderr:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(left, 0))
            assert ready, f"waited {READ_TIMEOUT_S} s for {text!r}; stderr so far: {self.stderr.decode(errors='replace')}"
            chunk = os.read(fd, 65536)
            assert chunk, f"the run ended before saying {text!r}: {self.finish()}"
            self.stderr += chunk

    def write(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()

    def interrupt(self, *, group: bool) -> None:
        """Ctrl-C: SIGINT to the whole process group (Python, Playwright's driver, Chromium), as a
        terminal sends it, or to the Python process alone, as `kill -INT PID` does."""
        if group:
            os.killpg(self.process.pid, signal.SIGINT)
        else:
            os.kill(self.process.pid, signal.SIGINT)

    def finish(self) -> tuple[int, str, str]:
        """The exit code, stdout and the whole of stderr."""
        out, err = self.process.communicate(timeout=READ_TIMEOUT_S)
        self.stderr += err
        return self.process.returncode, out.decode(errors="replace"), self.stderr.decode(errors="replace")

    def seconds(self) -> float:
        return time.monotonic() - self.started

    def kill(self) -> None:
        """After a failed test: nothing of the run is left behind (its browser is in its group)."""
        kill_group(self.process)


def kill_group(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """SIGKILL to a process started in a session of its own, and to everything in its group
    (the browsers it launched), as a machine that dies; then its end is collected."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(timeout=READ_TIMEOUT_S)
