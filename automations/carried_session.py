"""A saved session carried to another machine as one string: `okko-cancel session export`
prints it for a CI secret (OKKO_SESSION), and a run with that secret set imports it into its
data directory before the browser starts, so that a scheduled job on a fresh runner needs no
login code.

    okko-session-1:<base64url of zlib-compressed JSON>

The JSON is `session.json`'s document (the site, the login, the browser's storage state) and
when it was saved. The string is as secret as `session.json`: it signs in as you. It is never
printed except by `session export`, and never put in an error message.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import zlib
from dataclasses import dataclass
from typing import Any

from automations.errors import ConfigurationError
from automations.home import DataHome
from automations.i18n import _
from automations.storage import write_private_json

PREFIX = "okko-session-"
VERSION = 1
# GitHub's limit for one secret's value; a longer string is still printed, with a warning.
SECRET_LIMIT = 48 * 1024


@dataclass(frozen=True)
class CarriedSession:
    site: str
    login: str | None
    storage_state: dict[str, Any]
    saved_at: float  # when session.json was last written, in seconds since the epoch

    def document(self) -> dict[str, Any]:
        """`session.json`'s own document: SavedSession reads these keys."""
        return {"site": self.site, "login": self.login, "storage_state": self.storage_state}


def saved_session(home: DataHome) -> CarriedSession | None:
    """The data directory's saved session for its site, or None."""
    try:
        document = json.loads(home.session_file.read_text("utf-8"))
        saved_at = home.session_file.stat().st_mtime
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None  # a corrupt session.json is set aside by the run that meets it
    if not isinstance(document, dict) or not isinstance(document.get("storage_state"), dict):
        return None
    if document.get("site") != home.site_key:
        return None
    login = document.get("login")
    return CarriedSession(home.site_key, login if isinstance(login, str) else None, document["storage_state"],
                          saved_at)


def export_string(session: CarriedSession) -> str:
    payload = json.dumps({**session.document(), "saved_at": session.saved_at}, ensure_ascii=False,
                         separators=(",", ":")).encode()
    return f"{PREFIX}{VERSION}:" + base64.urlsafe_b64encode(zlib.compress(payload, 9)).decode("ascii")


def parse_string(text: str, where: str = "OKKO_SESSION") -> CarriedSession:
    """The session in an exported string; one ConfigurationError (exit 2) that says what is
    wrong with it, never what it holds."""
    def malformed(why: str) -> ConfigurationError:
        return ConfigurationError(_("{where} is not a session from `okko-cancel session export` ({why}): export it "
                                    "again and paste the whole line").format(where=where, why=why))

    head, separator, body = text.strip().partition(":")
    if not separator or not head.startswith(PREFIX):
        raise malformed(_("it does not begin with {prefix}").format(prefix=f"{PREFIX}{VERSION}:"))
    if head != f"{PREFIX}{VERSION}":
        raise malformed(_("version {version} is not one this okko-cancel reads; update okko-cancel").format(
            version=head.removeprefix(PREFIX)))
    try:
        document = json.loads(zlib.decompress(base64.urlsafe_b64decode(body.encode("ascii"))))
    except (binascii.Error, UnicodeError, ValueError, zlib.error):
        raise malformed(_("it is cut short or changed")) from None
    if not isinstance(document, dict) or not isinstance(document.get("storage_state"), dict) \
            or not isinstance(document.get("site"), str) or not isinstance(document.get("saved_at"), (int, float)):
        raise malformed(_("it is cut short or changed"))
    login = document.get("login")
    return CarriedSession(document["site"], login if isinstance(login, str) else None, document["storage_state"],
                          float(document["saved_at"]))


def install(home: DataHome, session: CarriedSession) -> None:
    """Writes it as the data directory's `session.json` (0600), dated when it was saved, so
    that a later import of the same string sees it is not newer."""
    home.ensure()
    write_private_json(home.session_file, session.document())
    os.utime(home.session_file, (session.saved_at, session.saved_at))


def refuse_other_site(session: CarriedSession, home: DataHome, where: str) -> None:
    if session.site != home.site_key:
        raise ConfigurationError(_("{where} holds a session for {theirs}, not for {site}: export it with the same "
                                   "--base-url (OKKO_BASE_URL)").format(where=where, theirs=session.site,
                                                                        site=home.site_key))


def import_from_setting(home: DataHome, text: str, login: str | None) -> bool:
    """OKKO_SESSION before a run: installed unless the data directory's own session for the
    same account is as new or newer (a run saves it again after every flow). True when it
    was installed."""
    carried = parse_string(text)
    refuse_other_site(carried, home, "OKKO_SESSION")
    if login and carried.login and carried.login != login:
        raise ConfigurationError(_("OKKO_SESSION holds the session of another account than OKKO_LOGIN: export it "
                                   "again after `okko-cancel login` with that account"))
    saved = saved_session(home)
    # A millisecond's slack: a file's time does not keep every digit of the float it was set to.
    if saved is not None and saved.login == carried.login and saved.saved_at >= carried.saved_at - 0.001:
        return False
    install(home, carried)
    return True
