"""What a person answers at a terminal: the confirmation takes yes (y/yes, д/да) and no in
either language, re-asks on anything else, and a "no" ends the run before the site sees
anything, with exit 7 and "nothing was changed". Run as a real process on a pseudo-terminal,
since the CLI asks only where there is one."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures import AdminClient, MockSite
from tests.helpers import cli_env, events_of

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
QUESTION = b"[y/N]"
READ_TIMEOUT_S = 60


class Terminal:
    """`python cli.py ARGS` with a pseudo-terminal for its stdin, stdout and stderr."""

    def __init__(self, args: list[str], env: dict[str, str | None]) -> None:
        self.controller, worker = pty.openpty()
        environment = {name: value for name, value in os.environ.items() if env.get(name, value) is not None}
        environment.update({name: value for name, value in env.items() if value is not None})
        self.process = subprocess.Popen([sys.executable, "cli.py", *args], cwd=REPO, env=environment,
                                        stdin=worker, stdout=worker, stderr=worker, close_fds=True)
        os.close(worker)
        self.seen = b""

    def read_until(self, wanted: bytes) -> bytes:
        """Everything shown up to `wanted` (waiting on the process, not the clock)."""
        while wanted not in self.seen:
            ready, _, _ = select.select([self.controller], [], [], READ_TIMEOUT_S)
            assert ready, f"waited {READ_TIMEOUT_S} s for {wanted!r}; the terminal shows {self.seen!r}"
            chunk = self._read()
            assert chunk, f"the process ended (exit {self.process.wait()}) before {wanted!r}: {self.seen!r}"
            self.seen += chunk
        return self.seen

    def answer(self, text: str) -> None:
        os.write(self.controller, text.encode() + b"\n")

    def finish(self) -> tuple[int, str]:
        """The exit code and the whole of what the terminal showed, read as it comes: a
        terminal nobody reads fills up, and the process writing to it stops."""
        while True:
            ready, _, _ = select.select([self.controller], [], [], READ_TIMEOUT_S)
            assert ready or self.process.poll() is not None, f"no end after {READ_TIMEOUT_S} s: {self.seen!r}"
            chunk = self._read() if ready else b""
            if not chunk:
                break
            self.seen += chunk
        code = self.process.wait(timeout=READ_TIMEOUT_S)
        os.close(self.controller)
        return code, self.seen.decode(errors="replace")

    def _read(self) -> bytes:
        try:
            return os.read(self.controller, 4096)
        except OSError:  # the process ended and closed its side
            return b""


@pytest.fixture
def env(mock_site: MockSite, data_dir: Path) -> dict[str, str | None]:
    return cli_env(data_dir, mock_site.url, OKKO_LOGIN="demo@okko.test")


def test_no_at_the_confirmation_changes_nothing_and_exits_7(site: AdminClient, env: dict[str, str | None]) -> None:
    """Enter alone, the default; each spelling of no is read in tests/automations/test_prompts.py."""
    terminal = Terminal(["unbind-card"], env)
    terminal.read_until(QUESTION)
    terminal.answer("")

    code, shown = terminal.finish()

    assert code == 7, shown
    assert "Error: declined: nothing was changed" in shown
    assert "Traceback" not in shown
    assert site.event_types() == []  # the browser never started


def test_yes_goes_ahead(site: AdminClient, env: dict[str, str | None]) -> None:
    """Each spelling of yes and no is read in tests/automations/test_prompts.py; a run, once."""
    terminal = Terminal(["unbind-card"], env)
    terminal.read_until(QUESTION)
    terminal.answer("да")
    terminal.read_until(b"Password")
    terminal.answer("")  # okko.tv sends a code instead, which the code command reads

    code, shown = terminal.finish()

    assert code == 0, shown
    assert [e["card"] for e in events_of(site, "card_unbound")] == ["Visa •••• 4242"]


def test_an_answer_that_is_neither_is_asked_again(site: AdminClient, env: dict[str, str | None]) -> None:
    terminal = Terminal(["unbind-card"], env)
    terminal.read_until(QUESTION)
    terminal.answer("может быть")
    terminal.read_until(b"answer y or n")
    terminal.answer("нет")

    code, shown = terminal.finish()

    assert code == 7, shown
    assert shown.count("[y/N]") == 2
    assert site.event_types() == []
