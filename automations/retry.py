"""Bounded retries with exponential backoff and full jitter, for a site that answers 429 or
5xx. The pause between attempts is rate limiting toward a struggling server, not a wait for
a page to get ready: those waits are always on the page itself."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    attempts: int = 4
    base_s: float = 0.25
    cap_s: float = 4.0

    def pauses(self) -> Iterator[float]:
        """One pause after each failed attempt but the last: random in [0, base * 2^n]."""
        for n in range(self.attempts - 1):
            yield random.uniform(0, min(self.cap_s, self.base_s * 2**n))


def pause(seconds: float) -> None:
    time.sleep(seconds)


def retry_after_s(headers: Mapping[str, str]) -> float | None:
    """The seconds an answer's Retry-After asks for (its delta-seconds form), if any."""
    value = (headers.get("retry-after") or "").strip()
    return float(value) if value.isdigit() else None
