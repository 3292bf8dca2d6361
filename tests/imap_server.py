"""A real IMAP server on loopback for the login-code tests: Twisted's IMAP4 server
(twisted.mail.imap4) with one account and an INBOX kept in memory. It speaks the protocol
itself — LOGIN, SELECT/EXAMINE, UID SEARCH, FETCH, APPEND and IDLE are Twisted's — and this
module only stores the messages.

Twisted's reactor runs once per process, in a thread of its own; every server of the session
listens there. The mock site APPENDs each code e-mail it sends into the INBOX
(`AdminClient.deliver_mail`), as a real mail provider delivers it.
"""

from __future__ import annotations

import email
import email.utils
import io
import secrets
from datetime import datetime
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from twisted.cred.checkers import InMemoryUsernamePasswordDatabaseDontUse
from twisted.cred.portal import IRealm, Portal
from twisted.internet import defer, protocol
from twisted.internet import reactor as _reactor
from twisted.internet.interfaces import IReactorCore, IReactorTCP
from twisted.internet.threads import blockingCallFromThread
from twisted.mail import imap4
from zope.interface import implementer

HOST = "127.0.0.1"
USER = "me@mail.test"
reactor: Any = _reactor  # IReactorCore and IReactorTCP at once, which one annotation cannot say
assert IReactorCore.providedBy(reactor) and IReactorTCP.providedBy(reactor)


@implementer(imap4.IMessage, imap4.IMessageFile)
class StoredMessage:
    def __init__(self, uid: int, raw: bytes, flags: Iterable[str], received: str) -> None:
        self.uid = uid
        self.raw = raw
        self.flags = list(flags)
        self.received = received
        self.parsed = email.message_from_bytes(raw)
        end = raw.find(b"\r\n\r\n")
        self.body = raw[end + 4:] if end >= 0 else b""

    def getHeaders(self, negate: bool, *names: str) -> dict[str, str]:
        wanted = {name.lower() for name in names}
        return {key.lower(): str(value) for key, value in self.parsed.items()
                if not wanted or (key.lower() in wanted) != negate}

    def getBodyFile(self) -> IO[bytes]:
        return io.BytesIO(self.body)

    def open(self) -> IO[bytes]:
        return io.BytesIO(self.raw)

    def getSize(self) -> int:
        return len(self.raw)

    def isMultipart(self) -> bool:
        return False

    def getSubPart(self, part: int) -> Any:
        raise TypeError("not a multipart message")

    def getUID(self) -> int:
        return self.uid

    def getFlags(self) -> list[str]:
        return self.flags

    def getInternalDate(self) -> str:
        return self.received


@implementer(imap4.IMailboxInfo, imap4.IMailbox, imap4.ISearchableMailbox)
class Inbox:
    """The messages, in the order they arrived; whoever has it selected hears of new ones (IDLE)."""

    def __init__(self) -> None:
        self.messages: list[StoredMessage] = []
        self.listeners: list[Any] = []
        self.next_uid = 1

    def getFlags(self) -> list[str]:
        return ["\\Seen", "\\Deleted"]

    def getHierarchicalDelimiter(self) -> str:
        return "/"

    def getUIDValidity(self) -> int:
        return 1

    def getUIDNext(self) -> int:
        return self.next_uid

    def getUID(self, sequence: int) -> int:
        return self.messages[sequence - 1].uid

    def getMessageCount(self) -> int:
        return len(self.messages)

    def getRecentCount(self) -> int:
        return 0

    def getUnseenCount(self) -> int:
        return sum("\\Seen" not in m.flags for m in self.messages)

    def isWriteable(self) -> bool:
        return True

    def destroy(self) -> None:
        self.messages.clear()

    def requestStatus(self, names: Iterable[str]) -> defer.Deferred[dict[str, int]]:
        values = {"MESSAGES": self.getMessageCount(), "RECENT": 0, "UIDNEXT": self.next_uid, "UIDVALIDITY": 1,
                  "UNSEEN": self.getUnseenCount()}
        return defer.succeed({name: values[name] for name in names if name in values})

    def addListener(self, listener: Any) -> None:
        self.listeners.append(listener)

    def removeListener(self, listener: Any) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    def addMessage(self, message: IO[bytes] | bytes, flags: Iterable[str] = (), date: bytes | str | None = None
                   ) -> defer.Deferred[int]:
        raw = message.read() if hasattr(message, "read") else bytes(message)  # type: ignore[union-attr]
        uid = self.next_uid
        self.next_uid += 1
        # APPEND's date is IMAP's own form (17-Jul-1996 02:44:25 -0700); kept as RFC 2822, as FETCH gives it.
        when = _text(date)
        received = (email.utils.format_datetime(datetime.strptime(when, "%d-%b-%Y %H:%M:%S %z")) if when
                    else email.utils.formatdate(localtime=True))
        self.messages.append(StoredMessage(uid, raw, flags, received))
        for listener in list(self.listeners):
            listener.newMessages(len(self.messages), None)
        return defer.succeed(uid)

    def expunge(self) -> list[int]:
        gone = [m.uid for m in self.messages if "\\Deleted" in m.flags]
        self.messages = [m for m in self.messages if "\\Deleted" not in m.flags]
        return gone

    def fetch(self, messages: imap4.MessageSet, uid: bool) -> list[tuple[int, StoredMessage]]:
        # A list, not an iterator: Twisted's own SEARCH indexes it.
        if uid:
            messages.last = self.next_uid - 1 or 1
            wanted = set(messages)
            return [(n, m) for n, m in enumerate(self.messages, 1) if m.uid in wanted]
        messages.last = len(self.messages) or 1
        return [(n, self.messages[n - 1]) for n in messages if 0 < n <= len(self.messages)]

    def search(self, query: list[Any], uid: bool) -> list[int]:
        """The sequence numbers of the messages `query` matches (the server turns them into
        UIDs for UID SEARCH). Twisted's own search, used when a mailbox has none, compares its
        bytes query with str patterns on Python 3 (SINCE fails), so the keys the tool sends are
        matched here, as RFC 3501 says: ALL, FROM (a substring), SINCE (the internal date's day,
        on or after), UID and a sequence set."""
        return [number for number, message in enumerate(self.messages, 1)
                if _matches([_text(term) for term in query], number, message, self)]

    def store(self, messages: imap4.MessageSet, flags: Iterable[str], mode: int, uid: bool) -> dict[int, list[str]]:
        changed: dict[int, list[str]] = {}
        for number, message in self.fetch(messages, uid):
            if mode == 0:
                message.flags = list(flags)
            elif mode > 0:
                message.flags = sorted({*message.flags, *flags})
            else:
                message.flags = [f for f in message.flags if f not in set(flags)]
            changed[number] = message.flags
        return changed


def _text(term: Any) -> Any:
    if isinstance(term, list):
        return [_text(t) for t in term]
    return term.decode() if isinstance(term, bytes) else term


def _matches(terms: list[Any], number: int, message: StoredMessage, inbox: Inbox) -> bool:
    while terms:
        key = terms.pop(0)
        if isinstance(key, list):
            if not _matches(key, number, message, inbox):
                return False
            continue
        word = key.upper()
        if word == "ALL":
            continue
        if word == "FROM":
            matched = terms.pop(0).lower() in message.parsed.get("From", "").lower()
        elif word == "SINCE":
            since = datetime.strptime(terms.pop(0), "%d-%b-%Y").date()
            received = email.utils.parsedate_to_datetime(message.received)
            matched = received.date() >= since
        elif word == "UID":
            matched = message.uid in imap4.parseIdList(terms.pop(0).encode(), inbox.next_uid - 1)
        elif word[:1].isdigit() or word[:1] == "*":
            matched = number in imap4.parseIdList(word.encode(), len(inbox.messages))
        else:
            raise imap4.IllegalQueryError(f"this test server does not search by {word}")
        if not matched:
            return False
    return True


class Account(imap4.MemoryAccount):
    def _emptyMailbox(self, name: str, id: int) -> Inbox:
        return Inbox()


@implementer(IRealm)
class Realm:
    def __init__(self, account: Account) -> None:
        self.account = account

    def requestAvatar(self, avatar_id: bytes, mind: Any, *interfaces: Any) -> tuple[Any, Account, Any]:
        if imap4.IAccount not in interfaces:
            raise NotImplementedError("IMAP only")
        return imap4.IAccount, self.account, lambda: None


@dataclass
class ImapServer:
    port: int
    password: str
    inbox: Inbox
    # Set each time a client starts waiting with IDLE: a test delivers a letter after it.
    idling: threading.Event

    def url(self, user: str = USER) -> str:
        """What --code-from-imap takes: plain IMAP, which the tool allows on loopback only."""
        return f"imap://{user}@{HOST}:{self.port}"

    def count(self) -> int:
        return int(blockingCallFromThread(reactor, self.inbox.getMessageCount))

    def deliver(self, sender: str, subject: str, text: str) -> None:
        """A letter into the INBOX, as if it had just arrived (whoever is IDLE hears of it)."""
        letter = (f"From: {sender}\r\nTo: {USER}\r\nSubject: {subject}\r\n"
                  f"Date: {email.utils.formatdate(localtime=True)}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                  f"\r\n{text}\r\n").encode()
        blockingCallFromThread(reactor, self.inbox.addMessage, letter)


_started = threading.Lock()
_thread: threading.Thread | None = None


def _reactor_thread() -> None:
    """The process's reactor, started once, in a daemon thread (it cannot run twice)."""
    global _thread
    with _started:
        if _thread is None:
            _thread = threading.Thread(target=reactor.run, kwargs={"installSignalHandlers": False},
                                       name="twisted-reactor", daemon=True)
            _thread.start()


@contextmanager
def serve_imap() -> Iterator[ImapServer]:
    """An IMAP server on a free loopback port, with USER's password made up for it."""
    _reactor_thread()
    password = f"imap-{secrets.token_hex(8)}"
    account = Account(USER)
    account.addMailbox("INBOX")
    checker = InMemoryUsernamePasswordDatabaseDontUse()
    checker.addUser(USER.encode(), password.encode())
    portal = Portal(Realm(account), [checker])

    idling = threading.Event()

    class Server(imap4.IMAP4Server):
        timeOut = 60

        def __init__(self) -> None:
            super().__init__()
            self.portal = portal

        def idle(self, tag: bytes) -> None:
            imap4.IMAP4Server.do_IDLE(self, tag)
            idling.set()

        # Twisted dispatches through these tuples, not by the method's name.
        select_IDLE = auth_IDLE = (idle,)

    listening = blockingCallFromThread(reactor, reactor.listenTCP, 0, protocol.Factory.forProtocol(Server),
                                       interface=HOST)
    try:
        yield ImapServer(listening.getHost().port, password, account.mailboxes["INBOX"], idling)
    finally:
        blockingCallFromThread(reactor, listening.stopListening)
