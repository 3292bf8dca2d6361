"""The retry rules on their own: a change is sent again only when the read-back shows it
was not done; the attempts are bounded; an unknown outcome is said to be unknown."""

from __future__ import annotations

import pytest

from automations.errors import SiteUnreachable
from automations.retry import Backoff
from flows.resilience import change_with_read_back

QUICK = Backoff(attempts=3, base_s=0.0, cap_s=0.0)


class Site:
    """A stand-in for the site's answers: which sends fail, and what the read-back says."""

    def __init__(self, answers: list[bool], done_after_send: list[bool], readable: bool = True) -> None:
        self.answers = answers
        self.done_after_send = done_after_send
        self.readable = readable
        self.sent = 0

    def act(self) -> bool:
        self.sent += 1
        return self.answers[self.sent - 1]

    def is_done(self) -> bool:
        if not self.readable:
            raise SiteUnreachable("no answer")
        return self.done_after_send[self.sent - 1]


def test_confirmed_change_is_sent_once() -> None:
    site = Site(answers=[True], done_after_send=[True])
    change_with_read_back(act=site.act, is_done=site.is_done, what="x", backoff=QUICK)
    assert site.sent == 1


def test_unconfirmed_change_that_the_site_has_is_not_sent_again() -> None:
    site = Site(answers=[False], done_after_send=[True])
    change_with_read_back(act=site.act, is_done=site.is_done, what="x", backoff=QUICK)
    assert site.sent == 1


def test_failed_change_is_sent_again_until_it_takes() -> None:
    site = Site(answers=[False, False, True], done_after_send=[False, False, True])
    change_with_read_back(act=site.act, is_done=site.is_done, what="x", backoff=QUICK)
    assert site.sent == 3


def test_attempts_are_bounded() -> None:
    site = Site(answers=[False] * 5, done_after_send=[False] * 5)
    with pytest.raises(SiteUnreachable, match="kept failing after 3 attempts; it was not done"):
        change_with_read_back(act=site.act, is_done=site.is_done, what="x", backoff=QUICK)
    assert site.sent == 3


def test_unknown_outcome_is_reported_as_unknown_and_not_retried() -> None:
    site = Site(answers=[False], done_after_send=[False], readable=False)
    with pytest.raises(SiteUnreachable, match="whether it happened is unknown") as failure:
        change_with_read_back(act=site.act, is_done=site.is_done, what="unbinding Visa •••• 4242", backoff=QUICK)
    assert failure.value.exit_code == 4 and site.sent == 1


def test_backoff_pauses_grow_within_their_cap() -> None:
    pauses = list(Backoff(attempts=5, base_s=0.5, cap_s=1.5).pauses())
    assert len(pauses) == 4
    assert all(0 <= p <= cap for p, cap in zip(pauses, [0.5, 1.0, 1.5, 1.5], strict=True))
