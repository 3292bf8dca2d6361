"""The site's answers to the change requests a run sends, kept in its receipt: proof of what
the site said when the card was unbound, not only what the page showed afterwards.

The runner starts recording once the login is over (and pauses it around a fresh login), so
the login's own requests are never seen. Kept for each request that is not a GET (HEAD,
OPTIONS) to the site's own host or a subdomain of it (where a site keeps its API): the
method, the URL's path (never its query), the status, when the answer came, how long it
took, and the answer's body with personal data masked. Never kept: a request's body or
headers, and the answer's headers, so that no password, login code or cookie can get in.

Masking: a JSON body keeps its shape; a value under a key that names a secret (password,
code, token, csrf, cookie, session, …) or a person (e-mail, phone, name, holder, login,
last4, number, …) becomes "***"; in any other string, e-mail addresses, phone numbers, card
numbers, a masked card's last digits and long numbers become the placeholders of
automations/redaction.py («Мир •••• 0077» → «Мир •••• <card>»). Dates and amounts stay: they
are what the receipt proves. A name written in free text is not recognised: only under such a key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ContextManager
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from playwright.sync_api import BrowserContext, Page, Request
from playwright.sync_api import Error as PlaywrightError

from automations.redaction import EMAIL, FULL_CARD, MASKED_DIGITS, NUMBER, PHONE

READS = frozenset({"GET", "HEAD", "OPTIONS"})
# A larger answer is a page, not an API's reply: its size is kept, not its text.
MAX_BODY_BYTES = 64 * 1024
MASK = "***"

# Keys are split into words (snake_case, kebab-case, camelCase); a key whose word, or two
# adjacent words joined, is in one of these sets has its whole value masked.
SECRET_WORDS = frozenset({
    "password", "passwd", "pass", "pwd", "code", "otp", "pin", "token", "csrf", "xsrf", "cookie", "cookies",
    "session", "sid", "secret", "auth", "authorization", "signature", "cvv", "cvc", "credentials",
})
PERSONAL_WORDS = frozenset({
    "email", "mail", "phone", "msisdn", "tel", "mobile", "firstname", "lastname", "middlename", "fullname",
    "displayname", "username", "nickname", "holdername", "ownername", "surname", "patronymic", "holder",
    "cardholder", "owner", "login", "birthday", "birthdate", "dob", "address", "last4", "pan", "number", "ip",
})


def mask_text(text: str) -> str:
    """redaction.redact_text's shapes without its dates and amounts."""
    text = EMAIL.sub("<email>", text)
    text = FULL_CARD.sub("<card>", text)
    text = MASKED_DIGITS.sub(lambda match: f"{match.group(1)}<card>", text)
    text = PHONE.sub("<phone>", text)
    return NUMBER.sub("<number>", text)


def _words(key: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key)
    return [word for word in re.split(r"[^a-z0-9]+", spaced.lower()) if word]


def _names_someone(key: str) -> bool:
    words = _words(key)
    joined = {a + b for a, b in zip(words, words[1:], strict=False)}
    return any(word in SECRET_WORDS or word in PERSONAL_WORDS for word in (*words, *joined))


def mask(value: Any, key: str = "") -> Any:
    """`value` (parsed JSON) with personal data and secrets masked; see the module's docstring."""
    if key and _names_someone(key) and value not in (None, "", [], {}) and not isinstance(value, bool):
        return MASK
    if isinstance(value, dict):
        return {name: mask(item, str(name)) for name, item in value.items()}
    if isinstance(value, list):
        return [mask(item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, int) and not isinstance(value, bool) and NUMBER.fullmatch(str(value)):
        return "<number>"
    return value


def _host(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    return (parts.hostname or "").removeprefix("www."), parts.port


@dataclass(eq=False)
class SiteAnswers:
    """Records the answers to a context's change requests while not paused."""

    context: BrowserContext
    base_url: str
    answers: list[dict[str, Any]] = field(default_factory=list)
    paused: bool = False

    def __post_init__(self) -> None:
        self._site = _host(self.base_url)
        self.context.on("requestfinished", self._finished)
        self.context.on("requestfailed", self._failed)

    def _is_change_to_site(self, request: Request) -> bool:
        if self.paused or request.method.upper() in READS:
            return False
        host, port = _host(request.url)
        site_host, site_port = self._site
        return (host == site_host and port == site_port) or host.endswith("." + site_host)

    def _entry(self, request: Request) -> dict[str, Any]:
        timing = request.timing
        took = timing.get("responseEnd", -1)
        return {"method": request.method.upper(), "path": mask_text(urlsplit(request.url).path or "/"),
                "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "ms": round(took) if took >= 0 else None}

    def _finished(self, request: Request) -> None:
        if not self._is_change_to_site(request):
            return
        entry = self._entry(request)
        try:
            response = request.response()
            if response is None:
                entry.update(status=None, error="no answer")
            else:
                entry.update(status=response.status, **_body(response.headers.get("content-type", ""),
                                                              response.body()))
        except PlaywrightError as error:
            # The page went on (a reload) before the body was read: the status is still proof.
            entry.setdefault("status", None)
            entry["body_note"] = f"body not readable: {str(error).splitlines()[0]}"
        self.answers.append(entry)

    def _failed(self, request: Request) -> None:
        if self._is_change_to_site(request):
            self.answers.append({**self._entry(request), "status": None, "error": request.failure or "failed"})

    @contextmanager
    def pause(self) -> Iterator[None]:
        """Around a fresh login in the middle of a run: its answers are not the flow's."""
        self.paused = True
        try:
            yield
        finally:
            self.paused = False


def _body(content_type: str, raw: bytes) -> dict[str, Any]:
    kind = content_type.split(";")[0].strip().lower()
    if len(raw) > MAX_BODY_BYTES:
        return {"body": None, "body_note": f"{len(raw)} bytes of {kind or 'unknown type'}, not kept"}
    text = raw.decode("utf-8", errors="replace")
    if "json" in kind or text.lstrip()[:1] in ("{", "["):
        try:
            return {"body": mask(json.loads(text))}
        except ValueError:
            pass
    if not raw or kind.startswith("text/") or "json" in kind or "xml" in kind:
        return {"body": mask_text(text)}
    return {"body": None, "body_note": f"{len(raw)} bytes of {kind or 'unknown type'}, not kept"}


_RECORDERS: WeakKeyDictionary[BrowserContext, SiteAnswers] = WeakKeyDictionary()


def record_site_answers(context: BrowserContext, base_url: str) -> SiteAnswers:
    """Starts recording the context's change requests; `write_receipt` finds them by its page."""
    recorder = _RECORDERS.get(context)
    if recorder is None:
        recorder = _RECORDERS[context] = SiteAnswers(context, base_url)
    return recorder


def paused(recorder: SiteAnswers | None) -> ContextManager[None]:
    return recorder.pause() if recorder is not None else nullcontext()


def answers_on(page: Page | None) -> list[dict[str, Any]] | None:
    """What was recorded for the page's context; None when nothing was recording there."""
    if page is None:
        return None
    recorder = _RECORDERS.get(page.context)
    return list(recorder.answers) if recorder is not None else None
