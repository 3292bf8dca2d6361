"""Saved credentials: in the OS keyring where a backend works, else in a 0600 file (with a
warning before it is written). Kept per site, so the mock's demo account never overwrites
the real one."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import SecretStr

from automations.errors import ConfigurationError, LoginRejected
from automations.home import DataHome
from automations.i18n import _
from automations.storage import read_json, too_open, write_private_json

if TYPE_CHECKING:
    import keyring
    import keyring.errors
    from keyring.backend import KeyringBackend
else:

    class _Keyring:
        """`keyring`, imported on first use: it costs ~0.1 s (its backends and their
        dependencies), which a run with the credentials in the environment never needs."""

        def __getattr__(self, name: str) -> Any:
            import keyring
            import keyring.errors

            return getattr(keyring, name)

    keyring = _Keyring()

SERVICE = "okko-cancel"
StoreKind = Literal["keyring", "file"]

PHONE_EXAMPLE = "+7 999 123-45-67"
# something@domain.tld: no spaces, one @, a dot in the domain, a top-level domain of two or
# more letters (Cyrillic ones too: .рф).
EMAIL = re.compile(r"[^@\s]+@(?:[^@\s.]+\.)+[^@\s.\d]{2,}")
# A Russian number as people write it: +7, 8 or nothing before it, grouped by spaces,
# dashes or parentheses; the digits are counted apart.
PHONE = re.compile(r"\+?[\d\s()\-]+")
# A login is shown in its error (it is not a secret), but never a screenful of it.
SHOWN_LOGIN_CHARS = 64


def is_phone(login: str) -> bool:
    if not PHONE.fullmatch(login):
        return False
    digits = re.sub(r"\D", "", login)
    if login.startswith("+"):
        return len(digits) == 11 and digits.startswith("7")
    return len(digits) == 10 or (len(digits) == 11 and digits[0] in "78")


def _shown(login: str) -> str:
    """The login for an error message: one line, and not longer than a line."""
    text = "".join(ch if ch.isprintable() else "?" for ch in login)
    return text if len(text) <= SHOWN_LOGIN_CHARS else text[:SHOWN_LOGIN_CHARS] + "…"


def check_login(login: str, source: str | None = None, fix: str = "") -> str:
    """The login without surrounding spaces, when it is an e-mail or a Russian phone number;
    else a ConfigurationError naming `source` (e.g. "OKKO_LOGIN"; by default "the login") and,
    when given, `fix`, both in the run's language. Checked before any browser starts: the site
    would only refuse it, after a page load."""
    text = login.strip()
    if EMAIL.fullmatch(text) or is_phone(text):
        return text
    message = _("{source} «{login}» is neither an e-mail nor a phone number ({example})").format(
        source=_("the login") if source is None else source, login=_shown(text), example=PHONE_EXAMPLE)
    raise ConfigurationError(f"{message}: {fix}" if fix else message)


def login_key(login: str) -> str:
    """One spelling per account: an e-mail in lower case, a phone as its eleven digits (8 read
    as +7), so that «+7 999 123-45-67» and «89991234567» are the same login."""
    text = login.strip()
    if "@" in text:
        return text.lower()
    digits = re.sub(r"\D", "", text)
    if len(digits) == 10:
        digits = "7" + digits
    elif len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits


@dataclass(frozen=True)
class Credentials:
    """A login and its password. The login is checked here, so that every way credentials
    come in (settings, the saved ones, a prompt, a batch row) refuses a malformed one before
    the browser starts."""

    login: str
    password: SecretStr

    def __post_init__(self) -> None:
        object.__setattr__(self, "login", check_login(self.login))

    def __repr__(self) -> str:
        return f"Credentials(login={self.login!r}, password=SecretStr('**********'))"


def keyring_works(backend: KeyringBackend | None = None) -> bool:
    """A backend with priority > 0 is a real one; the 'fail' and null backends are not."""
    backend = backend or keyring.get_keyring()
    try:
        return float(backend.priority) > 0  # type: ignore[arg-type]
    except Exception:
        return False


class CredentialStore:
    def __init__(
        self,
        home: DataHome,
        *,
        backend: KeyringBackend | None = None,
        warn: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.site_key = home.site_key
        self._file = home.credentials_file
        self.backend = backend or keyring.get_keyring()
        self.warn = warn

    @property
    def kind(self) -> StoreKind:
        return "keyring" if keyring_works(self.backend) else "file"

    @property
    def file(self) -> Path:
        return self._file

    def describe(self) -> str:
        if self.kind == "keyring":
            return _("OS keyring ({backend})").format(backend=self.backend.name)
        return _("file {file} (no OS keyring backend works here)").format(file=self.file)

    def _file_entries(self) -> dict[str, dict[str, str]]:
        document = read_json(self.file, _("credentials file"))
        if document is None:
            return {}
        if not isinstance(document, dict):
            raise ConfigurationError(_("credentials file {file} is unreadable: delete it and run `okko-cancel login` "
                                       "again").format(file=self.file))
        if too_open(self.file):
            self.warn(_("{file} can be read by other users: run `chmod 600 {file}`").format(file=self.file))
        return document

    def save(self, credentials: Credentials) -> None:
        entry = {"login": credentials.login, "password": credentials.password.get_secret_value()}
        if self.kind == "keyring":
            try:
                self.backend.set_password(SERVICE, self.site_key, json.dumps(entry))
                return
            except keyring.errors.KeyringError as error:
                raise ConfigurationError(_("the OS keyring refused to save the credentials: {error}").format(
                    error=error)) from None
        entries = self._file_entries()
        entries[self.site_key] = entry
        self.warn(_("no OS keyring backend works here: saving the password in {file} (mode 0600)").format(
            file=self.file))
        write_private_json(self.file, entries)

    def load(self) -> Credentials | None:
        if self.kind == "keyring":
            try:
                raw = self.backend.get_password(SERVICE, self.site_key)
            except keyring.errors.KeyringError:
                raw = None
            if raw is None:
                return None
            try:
                entry = json.loads(raw)
            except ValueError:
                raise ConfigurationError(_("the saved credentials in the OS keyring are unreadable: run "
                                           "`okko-cancel login` again")) from None
        else:
            entry = self._file_entries().get(self.site_key)
            if entry is None:
                return None
        if not isinstance(entry, dict) or not entry.get("login") or not isinstance(entry.get("password"), str):
            raise ConfigurationError(_("the saved credentials are incomplete: run `okko-cancel login` again"))
        login = check_login(str(entry["login"]), _("the saved login"), _("run `okko-cancel login` again"))
        return Credentials(login, SecretStr(str(entry["password"])))

    def forget(self) -> bool:
        """Removes the saved credentials for this site; True if there were any. A corrupt
        credentials file is removed whole (and the user told): `logout` must always work."""
        if self.kind == "keyring":
            try:
                self.backend.delete_password(SERVICE, self.site_key)
                return True
            except keyring.errors.PasswordDeleteError:
                return False
        try:
            entries = self._file_entries()
        except ConfigurationError:
            if not self.file.is_file():
                raise
            try:
                self.file.unlink()
            except OSError as error:
                raise ConfigurationError(_("cannot remove the credentials file {file} ({error}): delete it "
                                           "yourself").format(file=self.file, error=error.strerror)) from None
            self.warn(_("the credentials file {file} was unreadable: removed it, with whatever it held").format(
                file=self.file))
            return True
        if entries.pop(self.site_key, None) is None:
            return False
        if entries:
            write_private_json(self.file, entries)
        else:
            self.file.unlink(missing_ok=True)
        return True


# scrypt's cost: ~16 MiB and some tens of milliseconds per hash, paid once per run that has a
# rejection on record; a guess at the password from a copied file costs the same each.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT = re.compile(r"[0-9a-f]{32}")
REMEMBERED = 20  # rejected credentials kept per site: every wrong password tried is refused again


class RejectedLogin:
    """Remembers which credentials the site rejected (a wrong password, a lock), per site,
    until a login with that login succeeds: the same login and password are refused before
    any browser starts, so a wrong saved password is not tried every morning until the
    account locks; a changed one is tried once.

    Kept in `login-rejected.json` (0600): per site a random salt and, per rejection, the
    login, when, why, and scrypt over site, login and password; never the password. An
    entry of the first format (a login, no hash) refuses that login with any password, as
    it did when it was written: which password was wrong is not known."""

    def __init__(self, home: DataHome) -> None:
        self.file = home.rejected_file
        self.site_key = home.site_key

    def _entries(self) -> dict[str, Any]:
        try:
            document = read_json(self.file, _("rejected-login record"))
        except ConfigurationError:
            # A damaged record must not stop every run (nor `login`): it costs at most one
            # more attempt per password, and the next record overwrites it.
            return {}
        return document if isinstance(document, dict) else {}

    def _site(self, entries: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
        """This site's salt and rejections; the first format read as one rejection without a hash."""
        entry = entries.get(self.site_key)
        if not isinstance(entry, dict):
            return None, []
        if "rejected" not in entry:
            if not isinstance(entry.get("login"), str):
                return None, []
            return None, [{"login": entry["login"], "at": entry.get("at"), "reason": entry.get("reason", ""),
                           "hash": None}]
        salt = entry.get("salt") if isinstance(entry.get("salt"), str) and SALT.fullmatch(entry["salt"]) else None
        listed = entry["rejected"] if isinstance(entry["rejected"], list) else []
        return salt, [r for r in listed if isinstance(r, dict) and isinstance(r.get("login"), str)]

    def _digest(self, credentials: Credentials, salt: str) -> str:
        secret = "\0".join((self.site_key, login_key(credentials.login), credentials.password.get_secret_value()))
        return hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                              dklen=32).hex()

    def _write(self, entries: dict[str, Any], salt: str | None, rejected: list[dict[str, Any]]) -> None:
        if rejected:
            entries[self.site_key] = {"salt": salt, "rejected": rejected}
        else:
            entries.pop(self.site_key, None)
        if entries:
            write_private_json(self.file, entries)
        else:
            self.file.unlink(missing_ok=True)

    def record(self, credentials: Credentials, reason: str) -> None:
        entries = self._entries()
        salt, rejected = self._site(entries)
        salt = salt or secrets.token_hex(16)
        digest = self._digest(credentials, salt)
        key = login_key(credentials.login)
        # The same credentials once, and a first-format entry for this login replaced: now the
        # rejected password is known.
        kept = [r for r in rejected
                if r.get("hash") != digest and not (r.get("hash") is None and login_key(r["login"]) == key)]
        at = datetime.now(UTC).isoformat(timespec="seconds")
        kept.append({"login": credentials.login, "at": at, "reason": reason, "hash": digest})
        self._write(entries, salt, kept[-REMEMBERED:])

    def refuse_if_rejected(self, credentials: Credentials) -> None:
        salt, rejected = self._site(self._entries())
        key = login_key(credentials.login)
        mine = [r for r in rejected if login_key(r["login"]) == key]
        if not mine:
            return
        digest = self._digest(credentials, salt) if salt else None
        for entry in mine:
            if entry.get("hash") is None:
                raise LoginRejected(
                    _("the site rejected the login as {login} at {at}; not trying the same credentials again: run "
                      "`okko-cancel login` to log in anew").format(login=credentials.login, at=entry.get("at"))
                )
            if digest is not None and hmac.compare_digest(str(entry["hash"]), digest):
                raise LoginRejected(
                    _("the site refused {login} with this password at {at}; not trying the same credentials again: "
                      "run `okko-cancel login` to log in anew, or give the right password (a changed one is tried "
                      "once)").format(login=credentials.login, at=entry.get("at"))
                )

    def clear(self, login: str | None = None) -> None:
        """Forgets the rejections of `login` (a login with it just succeeded), or all of this site's."""
        if not self.file.exists():
            return
        entries = self._entries()
        if self.site_key not in entries:
            return
        salt, rejected = self._site(entries)
        key = login_key(login) if login is not None else None
        self._write(entries, salt, [r for r in rejected if key is not None and login_key(r["login"]) != key])
