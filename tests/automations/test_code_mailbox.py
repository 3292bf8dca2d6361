"""The login code read from a real IMAP server on loopback (tests/imap_server.py): only a
letter from OKKO that arrives after the code was asked for counts, and it is waited for with
IDLE, not by sleeping."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from automations.code_mailbox import Mailbox, MailboxCodes, code_in
from tests.imap_server import HOST, USER, ImapServer, serve_imap

OKKO = "Okko <noreply@okko.tv>"


@pytest.fixture
def imap() -> Iterator[ImapServer]:
    with serve_imap() as server:
        yield server


def codes(imap: ImapServer, wait_s: float = 10.0) -> MailboxCodes:
    return MailboxCodes(Mailbox(False, HOST, imap.port, USER), SecretStr(imap.password), wait_s)


def test_the_code_is_the_one_in_the_first_letter_from_okko_after_it_was_asked_for(imap: ImapServer) -> None:
    imap.deliver(OKKO, "Kod dlya vhoda v Okko", "Ваш код для входа: 111111.")  # an earlier login's
    provider = codes(imap)
    found: list[str] = []

    with provider.expecting(USER):
        waiting = threading.Thread(target=lambda: found.append(provider(USER)))
        waiting.start()
        assert imap.idling.wait(10), "the provider never started waiting with IDLE"
        imap.deliver("Shop <news@shop.test>", "Sale", "Order 654321 shipped")
        imap.deliver(OKKO, "Kod dlya vhoda v Okko", "Ваш код для входа: 424242. Он действует 10 минут.")
        waiting.join(10)

    assert found == ["424242"]


@pytest.mark.parametrize(("letter", "code"), [
    (b"Subject: =?utf-8?b?0JrQvtC0INC00LvRjyDQstGF0L7QtNCw?=\r\n\r\nYour code: 123456, valid until 2026.\r\n",
     "123456"),
    (b"Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Code:</p><b>987654</b><p>+7 999 123-45-67</p>",
     "987654"),
    (b"Subject: News\r\n\r\nNothing to enter here, 2026-12-01.\r\n", None),
], ids=["plain", "html", "none"])
def test_a_letters_code_is_its_six_digits(letter: bytes, code: str | None) -> None:
    assert code_in(letter) == code
