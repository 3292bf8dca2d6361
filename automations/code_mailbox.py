"""The login code read from the person's own mailbox over IMAP (`--code-from-imap`,
OKKO_CODE_IMAP with the app password in OKKO_CODE_IMAP_PASSWORD): what lets a scheduled job
log in where the site sends a code by e-mail and nobody is there to type it.

The mailbox is opened before the site is asked for a code, and the newest letter from OKKO
there is noted; then the first letter from OKKO that comes after it is the one, and its
six-digit code is returned. The wait is the server's: IDLE where the server offers it
(it tells us the moment a letter arrives), else NOOP every few seconds; either way no
longer than the run's timeout (OKKO_TIMEOUT_S). The standard library's imaplib only.
"""

from __future__ import annotations

import imaplib
import itertools
import re
import select
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import unescape
from urllib.parse import unquote, urlsplit

from pydantic import SecretStr

from automations.errors import ConfigurationError, HumanNeeded, SiteUnreachable
from automations.i18n import _

# A FROM search is a substring of the sender: OKKO's letters come from an okko address.
SENDER = "okko"
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
TAGS = re.compile(r"<[^>]+>")
# How many of the newest letters from OKKO are read for a code.
NEWEST = 5
# Without a mark (a code asked for outside a login), a letter counts while its code is valid.
CODE_VALID_S = 10 * 60
# One IDLE lasts at most this long before it is renewed (and the mailbox searched again); a
# server without IDLE is asked (NOOP) this often.
IDLE_SLICE_S = 5.0
POLL_S = 2.0
# IMAP's dates are English whatever the locale (strftime's %b is not).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_tags = itertools.count(1)


@dataclass(frozen=True)
class Mailbox:
    secure: bool
    host: str
    port: int
    user: str
    folder: str = "INBOX"

    @classmethod
    def from_url(cls, url: str) -> Mailbox:
        """From a URL the settings have checked: imaps://user@host[:port][/folder]."""
        parts = urlsplit(url)
        secure = parts.scheme == "imaps"
        folder = unquote(parts.path.strip("/")) or "INBOX"
        return cls(secure, parts.hostname or "", parts.port or (993 if secure else 143),
                   unquote(parts.username or ""), folder)

    @property
    def server(self) -> str:
        """The server, for messages: never the user (it is often the person's e-mail)."""
        return f"{self.host}:{self.port}"


def code_in(raw: bytes) -> str | None:
    """The six-digit code of a letter: its subject, then its text (or its HTML's text)."""
    letter = message_from_bytes(raw, policy=policy.default)
    texts = [str(letter.get("Subject", ""))]
    if isinstance(letter, EmailMessage):
        body = letter.get_body(preferencelist=("plain", "html"))
        if body is not None:
            try:
                content = body.get_content()
            except (LookupError, ValueError):
                content = ""
            texts.append(unescape(TAGS.sub(" ", content)) if body.get_content_subtype() == "html" else content)
    for text in texts:
        found = CODE.search(text)
        if found:
            return found.group(0)
    return None


def _since(day: date) -> str:
    return f"{day.day:02d}-{MONTHS[day.month - 1]}-{day.year}"


class MailboxCodes:
    """A code provider (see automations/prompts.py): `expecting(login)` around the request of
    a code, then `provider(login)` for the code."""

    def __init__(self, mailbox: Mailbox, password: SecretStr, wait_s: float) -> None:
        self.mailbox = mailbox
        self.password = password
        self.wait_s = wait_s
        self._open: imaplib.IMAP4 | None = None
        self._after: int | None = None

    @contextmanager
    def expecting(self, login: str) -> Iterator[None]:
        """Opens the mailbox before the site is asked for a code and notes its newest letter
        from OKKO: only a later one counts. A wrong password ends the run here, before the
        site has sent anything."""
        with self._connected() as imap:
            with self._answering():
                after = max(self._search(imap), default=0)
            self._open, self._after = imap, after
            try:
                yield
            finally:
                self._open = self._after = None

    def __call__(self, login: str) -> str:
        if self._open is not None:
            with self._answering():
                return self._wait_for_code(self._open, self._after)
        with self._connected() as imap, self._answering():
            return self._wait_for_code(imap, None)

    @contextmanager
    def _connected(self) -> Iterator[imaplib.IMAP4]:
        imap = self._logged_in()
        try:
            yield imap
        finally:
            try:
                imap.logout()
            except (OSError, imaplib.IMAP4.error):
                pass

    @contextmanager
    def _answering(self) -> Iterator[None]:
        """The server's failures while we talk to it, as one line (exit 4)."""
        try:
            yield
        except (OSError, imaplib.IMAP4.error) as error:
            raise self._stopped(error) from None

    def _logged_in(self) -> imaplib.IMAP4:
        box = self.mailbox
        try:
            if box.secure:
                imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(box.host, box.port, ssl_context=ssl.create_default_context(),
                                                        timeout=self.wait_s)
            else:
                imap = imaplib.IMAP4(box.host, box.port, timeout=self.wait_s)
        except (OSError, imaplib.IMAP4.error) as error:
            raise SiteUnreachable(_("cannot reach the mail server {server} for the login code: {error}").format(
                server=box.server, error=self._words(error))) from None
        try:
            try:
                imap.login(box.user, self.password.get_secret_value())
            except imaplib.IMAP4.abort:
                raise
            except imaplib.IMAP4.error as error:
                raise ConfigurationError(_("the mail server {server} refused the login ({said}): check OKKO_CODE_IMAP's "
                                           "user and OKKO_CODE_IMAP_PASSWORD (an app password, where the mail "
                                           "provider asks for one)").format(server=box.server,
                                                                            said=self._words(error))) from None
            status, _answer = imap.select(self._quoted(box.folder), readonly=True)
            if status != "OK":
                raise ConfigurationError(_("the mail server {server} has no folder {folder}: name another one at the "
                                           "end of OKKO_CODE_IMAP (imaps://user@host/INBOX)").format(
                                               server=box.server, folder=box.folder))
            return imap
        except BaseException as error:
            try:
                imap.shutdown()
            except OSError:
                pass
            if isinstance(error, (OSError, imaplib.IMAP4.abort)):
                raise self._stopped(error) from None
            raise

    def _stopped(self, error: BaseException) -> SiteUnreachable:
        return SiteUnreachable(_("the mail server {server} stopped answering while the login code was awaited: "
                                 "{error}").format(server=self.mailbox.server, error=self._words(error)))

    def _words(self, error: BaseException) -> str:
        """An error's words, short, and never the password (a server might echo a command)."""
        text = str(error).strip() or type(error).__name__
        secret = self.password.get_secret_value()
        return (text.replace(secret, "***") if secret else text)[:200]

    @staticmethod
    def _quoted(folder: str) -> str:
        return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def _search(self, imap: imaplib.IMAP4) -> list[int]:
        """The UIDs of the letters from OKKO since yesterday (a day of slack for time zones)."""
        status, answer = imap.uid("SEARCH", "SINCE", _since(date.today() - timedelta(days=1)), "FROM", SENDER)
        if status != "OK":
            raise self._stopped(imaplib.IMAP4.error(answer))
        return sorted(int(uid) for line in answer if line for uid in line.split())

    def _newest_code(self, imap: imaplib.IMAP4, after: int | None) -> str | None:
        uids = [uid for uid in self._search(imap) if after is None or uid > after]
        for uid in reversed(uids[-NEWEST:]):
            status, answer = imap.uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])")
            parts = [item for item in answer if isinstance(item, tuple)]
            if status != "OK" or not parts:
                continue
            head, raw = parts[0]
            if after is None:
                received = imaplib.Internaldate2tuple(head)
                if received is None or time.mktime(received) < time.time() - CODE_VALID_S:
                    continue
            code = code_in(raw)
            if code:
                return code
        return None

    def _wait_for_code(self, imap: imaplib.IMAP4, after: int | None) -> str:
        deadline = time.monotonic() + self.wait_s
        while True:
            code = self._newest_code(imap, after)
            if code:
                return code
            left = deadline - time.monotonic()
            if left <= 0:
                raise HumanNeeded(_("no letter from OKKO with a login code reached the mailbox at {server} within "
                                    "{seconds:.0f} s: check that the site sends the code to that address (an e-mail "
                                    "login, not a phone), or allow longer with OKKO_TIMEOUT_S").format(
                                        server=self.mailbox.server, seconds=self.wait_s))
            if "IDLE" in imap.capabilities:
                self._idle(imap, min(left, IDLE_SLICE_S))
            else:
                self._readable(imap, min(left, POLL_S))
                imap.noop()

    def _idle(self, imap: imaplib.IMAP4, seconds: float) -> None:
        """Waits until the server reports news (a letter came: `* N EXISTS`) or `seconds`
        pass (RFC 2177). What the news says does not matter: the mailbox is searched again."""
        tag = f"OKKO{next(_tags)}".encode()
        imap.send(tag + b" IDLE\r\n")
        while not (line := imap.readline()).startswith(b"+"):
            if not line:
                raise imaplib.IMAP4.abort("the connection closed")
            if line.startswith(tag):
                return  # refused after all: the caller searches again, then waits once more
        try:
            if self._readable(imap, seconds):
                imap.readline()
        finally:
            imap.send(b"DONE\r\n")
            while not (line := imap.readline()).startswith(tag):
                if not line:
                    raise imaplib.IMAP4.abort("the connection closed")

    @staticmethod
    def _readable(imap: imaplib.IMAP4, seconds: float) -> bool:
        sock = imap.sock
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return True
        ready, _writable, _failed = select.select([sock], [], [], max(seconds, 0.0))
        return bool(ready)


def mailbox_codes(url: str, password: SecretStr | None, wait_s: float) -> MailboxCodes:
    """`--code-from-imap`'s provider; no password is a usage error, before any browser starts."""
    if password is None or not password.get_secret_value():
        raise ConfigurationError(_("--code-from-imap (OKKO_CODE_IMAP) needs the mailbox's password in "
                                   "OKKO_CODE_IMAP_PASSWORD (an app password, where the mail provider asks for one)"))
    return MailboxCodes(Mailbox.from_url(url), password, wait_s)
