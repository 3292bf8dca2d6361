"""Saved credentials: in the OS keyring where a backend works, else in a 0600 file (with a
warning before it is written). Kept per site, so the mock's demo account never overwrites
the real one."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import SecretStr

from automations.errors import ConfigurationError, LoginRejected
from automations.home import DataHome
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


@dataclass(frozen=True)
class Credentials:
    login: str
    password: SecretStr

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
            return f"OS keyring ({self.backend.name})"
        return f"file {self.file} (no OS keyring backend works here)"

    def _file_entries(self) -> dict[str, dict[str, str]]:
        document = read_json(self.file, "credentials file")
        if document is None:
            return {}
        if not isinstance(document, dict):
            raise ConfigurationError(f"credentials file {self.file} is unreadable: delete it and run `okko-cancel login` again")
        if too_open(self.file):
            self.warn(f"{self.file} can be read by other users: run `chmod 600 {self.file}`")
        return document

    def save(self, credentials: Credentials) -> None:
        entry = {"login": credentials.login, "password": credentials.password.get_secret_value()}
        if self.kind == "keyring":
            try:
                self.backend.set_password(SERVICE, self.site_key, json.dumps(entry))
                return
            except keyring.errors.KeyringError as error:
                raise ConfigurationError(f"the OS keyring refused to save the credentials: {error}") from None
        entries = self._file_entries()
        entries[self.site_key] = entry
        self.warn(f"no OS keyring backend works here: saving the password in {self.file} (mode 0600)")
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
                raise ConfigurationError("the saved credentials in the OS keyring are unreadable: run `okko-cancel login` again") from None
        else:
            entry = self._file_entries().get(self.site_key)
            if entry is None:
                return None
        if not isinstance(entry, dict) or not entry.get("login") or not isinstance(entry.get("password"), str):
            raise ConfigurationError("the saved credentials are incomplete: run `okko-cancel login` again")
        return Credentials(str(entry["login"]), SecretStr(str(entry["password"])))

    def forget(self) -> bool:
        """Removes the saved credentials for this site; True if there were any."""
        if self.kind == "keyring":
            try:
                self.backend.delete_password(SERVICE, self.site_key)
                return True
            except keyring.errors.PasswordDeleteError:
                return False
        entries = self._file_entries()
        if entries.pop(self.site_key, None) is None:
            return False
        if entries:
            write_private_json(self.file, entries)
        else:
            self.file.unlink(missing_ok=True)
        return True


class RejectedLogin:
    """Remembers that the site rejected a login, per site, until a login succeeds again."""

    def __init__(self, home: DataHome) -> None:
        self.file = home.rejected_file
        self.site_key = home.site_key

    def _entries(self) -> dict[str, dict[str, str]]:
        document = read_json(self.file, "rejected-login record")
        return document if isinstance(document, dict) else {}

    def record(self, login: str, reason: str) -> None:
        entries = self._entries()
        entries[self.site_key] = {"login": login, "at": datetime.now(UTC).isoformat(timespec="seconds"), "reason": reason}
        write_private_json(self.file, entries)

    def refuse_if_rejected(self, login: str) -> None:
        entry = self._entries().get(self.site_key)
        if entry and entry.get("login") == login:
            raise LoginRejected(
                f"the site rejected the login as {login} at {entry.get('at')}; not trying the same credentials again: "
                "run `okko-cancel login` to log in anew"
            )

    def clear(self) -> None:
        entries = self._entries()
        if entries.pop(self.site_key, None) is not None:
            if entries:
                write_private_json(self.file, entries)
            else:
                self.file.unlink(missing_ok=True)
