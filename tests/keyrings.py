"""A real keyring backend that keeps passwords in a dict, for tests of the credential store
and the CLI: it stands in for the OS keyring without touching the user's own."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Works (priority 1 > 0), so the credential store treats it as an OS keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"no password for {username} in {service}") from None


# Defining a backend registers it for keyring's own detection; keep it test-only, so code that
# relies on keyring's default backend sees the same one with or without this module imported.
KeyringBackend._classes.discard(MemoryKeyring)  # type: ignore[attr-defined]
