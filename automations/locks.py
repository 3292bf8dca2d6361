"""One run at a time per account: two runs on one account would both read the same state and
both act on it (a card unbound twice, a session file written by both), so a second run waits
a moment for the first and then stops, saying so.

    with account_lock(settings.home, credentials.login if credentials else None):
        ...  # the browser, the login, the flow, the receipt

The lock is a file under the data directory's `locks/` (`DataHome.lock_file`), held with
filelock: an OS lock that the kernel releases when the process ends, however it ends, so a
killed run never leaves it taken. It is not reentrant across calls: a process takes each
account's lock once per run (a batch's workers each hold their own account's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from automations.errors import ConfigurationError
from automations.home import DataHome

# Long enough for a run that is just ending (writing its receipt) to let go; short enough that
# a person who started a second run by mistake is told at once.
WAIT_S = 5.0


@contextmanager
def account_lock(home: DataHome, login: str | None, wait_s: float = WAIT_S,
                 on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Holds the account's lock for the block. When another run holds it, `on_wait` is told,
    and after `wait_s` more: ConfigurationError (exit 2)."""
    lock = FileLock(home.lock_file(login), mode=0o600)
    who = login or "the saved session"
    try:
        lock.acquire(blocking=False)
    except Timeout:
        if on_wait is not None:
            on_wait(f"another okko-cancel run is in progress for {who}: waiting up to {wait_s:g} s for it to finish")
        try:
            lock.acquire(timeout=wait_s)
        except Timeout:
            raise ConfigurationError(
                f"another okko-cancel run is in progress for {who} (data directory {home.root}): "
                "wait for it to finish, then run this again"
            ) from None
    try:
        yield
    finally:
        lock.release()
