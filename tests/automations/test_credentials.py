"""The credential store (automations/credentials.py): the OS keyring when a backend works,
else a 0600 file in a 0700 data directory, with a warning given before the file is written.

Covers round trips through both, `forget`, credentials kept per site, a corrupt or
incomplete saved entry (a ConfigurationError saying how to recover), a file other users
can read (a warning), and that the password never shows in a repr. The keyring side runs
on a real in-memory keyring backend (tests/keyrings.py) and keyring's own `fail` backend;
nothing of ours is mocked.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from pydantic import SecretStr

from automations.credentials import SERVICE, CredentialStore, Credentials, keyring_works
from automations.errors import ConfigurationError
from automations.home import DataHome
from tests.keyrings import MemoryKeyring

SITE = "okko.tv"
OTHER_SITE = "127.0.0.1:8800"
PASSWORD = "pa55-SENTINEL-word"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class Warnings(list[str]):
    """The store's `warn` callback: keeps each message."""

    def __call__(self, message: str) -> None:
        self.append(message)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def warnings() -> Warnings:
    return Warnings()


@pytest.fixture(params=["keyring", "file"])
def backend(request: pytest.FixtureRequest) -> KeyringBackend:
    """A working keyring (a dict) or none that works (keyring's `fail` backend)."""
    return MemoryKeyring() if request.param == "keyring" else fail.Keyring()


@pytest.fixture
def make_store(data_dir: Path, backend: KeyringBackend, warnings: Warnings) -> Callable[..., CredentialStore]:
    return lambda site_key=SITE: CredentialStore(DataHome(data_dir, site_key), backend=backend, warn=warnings)


def creds(login: str = "me@example.com", password: str = PASSWORD) -> Credentials:
    return Credentials(login, SecretStr(password))


def test_round_trip(make_store: Callable[..., CredentialStore]) -> None:
    store = make_store()

    store.save(creds())

    loaded = make_store().load()
    assert loaded is not None
    assert loaded.login == "me@example.com"
    assert loaded.password.get_secret_value() == PASSWORD


def test_nothing_saved_loads_none(make_store: Callable[..., CredentialStore]) -> None:
    assert make_store().load() is None


def test_saving_again_replaces_the_entry(make_store: Callable[..., CredentialStore]) -> None:
    make_store().save(creds("old@example.com", "old"))
    make_store().save(creds("new@example.com", "new"))

    loaded = make_store().load()
    assert loaded is not None and (loaded.login, loaded.password.get_secret_value()) == ("new@example.com", "new")


def test_forget_removes_the_credentials(make_store: Callable[..., CredentialStore]) -> None:
    store = make_store()
    store.save(creds())

    assert store.forget() is True
    assert make_store().load() is None
    assert store.forget() is False
    assert not store.file.exists()


def test_credentials_are_kept_per_site(make_store: Callable[..., CredentialStore]) -> None:
    make_store(SITE).save(creds("real@example.com", "real-pw"))
    make_store(OTHER_SITE).save(creds("demo@okko.test", "okko-demo"))

    real, demo = make_store(SITE).load(), make_store(OTHER_SITE).load()
    assert real is not None and (real.login, real.password.get_secret_value()) == ("real@example.com", "real-pw")
    assert demo is not None and (demo.login, demo.password.get_secret_value()) == ("demo@okko.test", "okko-demo")

    make_store(OTHER_SITE).forget()

    assert make_store(OTHER_SITE).load() is None
    assert make_store(SITE).load() is not None


def test_keyring_backend_keeps_the_password_out_of_the_data_dir(data_dir: Path, warnings: Warnings) -> None:
    backend = MemoryKeyring()
    store = CredentialStore(DataHome(data_dir, SITE), backend=backend, warn=warnings)

    store.save(creds())

    assert store.kind == "keyring"
    assert "OS keyring" in store.describe()
    assert not store.file.exists()
    assert warnings == []
    assert PASSWORD in backend.entries[(SERVICE, SITE)]


def test_without_a_working_keyring_the_file_is_private(data_dir: Path, warnings: Warnings) -> None:
    store = CredentialStore(DataHome(data_dir, SITE), backend=fail.Keyring(), warn=warnings)

    store.save(creds())

    assert store.kind == "file"
    assert store.file == data_dir / "credentials.json"
    assert mode(store.file) == 0o600
    assert mode(data_dir) == 0o700
    assert str(store.file) in store.describe()


def test_file_fallback_warns_before_writing(data_dir: Path) -> None:
    store = CredentialStore(DataHome(data_dir, SITE), backend=fail.Keyring())
    seen: list[tuple[str, bool]] = []
    store.warn = lambda message: seen.append((message, store.file.exists()))

    store.save(creds())

    assert len(seen) == 1
    message, file_existed = seen[0]
    assert file_existed is False
    assert "no OS keyring" in message and str(store.file) in message
    assert PASSWORD not in message
    assert store.file.exists()


def test_a_private_file_gets_no_warning_on_load(data_dir: Path, warnings: Warnings) -> None:
    CredentialStore(DataHome(data_dir, SITE), backend=fail.Keyring()).save(creds())

    CredentialStore(DataHome(data_dir, SITE), backend=fail.Keyring(), warn=warnings).load()

    assert warnings == []


def test_a_world_readable_file_gets_a_warning(data_dir: Path, warnings: Warnings) -> None:
    CredentialStore(DataHome(data_dir, SITE), backend=fail.Keyring()).save(creds())
    (data_dir / "credentials.json").chmod(0o644)

    loaded = CredentialStore(DataHome(data_dir, SITE), backend=fail.Keyring(), warn=warnings).load()

    assert loaded is not None
    assert len(warnings) == 1
    assert "chmod 600" in warnings[0] and "other users" in warnings[0]


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '"a string"', b"\xff\xfe\x00garbage"],
    ids=["not-json", "list", "string", "binary"],
)
def test_a_corrupt_file_says_to_delete_it_and_log_in_again(data_dir: Path, content: str | bytes) -> None:
    data_dir.mkdir()
    path = data_dir / "credentials.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())

    with pytest.raises(ConfigurationError) as caught:
        CredentialStore(DataHome(data_dir, SITE), backend=fail.Keyring()).load()

    message = str(caught.value)
    assert str(path) in message
    assert "delete it" in message and "okko-cancel login" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "entry",
    [{"login": "me@example.com"}, {"password": "x"}, {"login": "", "password": "x"}, "me:pw",
     {"login": "me@example.com", "password": 1234}],
    ids=["no-password", "no-login", "empty-login", "not-a-dict", "password-not-text"],
)
def test_an_incomplete_entry_says_to_log_in_again(data_dir: Path, entry: object) -> None:
    data_dir.mkdir()
    (data_dir / "credentials.json").write_text(json.dumps({SITE: entry}))

    with pytest.raises(ConfigurationError, match="okko-cancel login"):
        CredentialStore(DataHome(data_dir, SITE), backend=fail.Keyring()).load()


def test_an_unreadable_keyring_entry_says_to_log_in_again(data_dir: Path) -> None:
    backend = MemoryKeyring()
    backend.set_password(SERVICE, SITE, "not json")

    with pytest.raises(ConfigurationError, match="okko-cancel login"):
        CredentialStore(DataHome(data_dir, SITE), backend=backend).load()


def test_forgetting_one_site_keeps_the_file_for_the_other(data_dir: Path) -> None:
    CredentialStore(DataHome(data_dir, SITE), backend=fail.Keyring()).save(creds("real@example.com"))
    CredentialStore(DataHome(data_dir, OTHER_SITE), backend=fail.Keyring()).save(creds("demo@okko.test"))

    CredentialStore(DataHome(data_dir, OTHER_SITE), backend=fail.Keyring()).forget()

    assert json.loads((data_dir / "credentials.json").read_text()).keys() == {SITE}
    assert mode(data_dir / "credentials.json") == 0o600
    CredentialStore(DataHome(data_dir, SITE), backend=fail.Keyring()).forget()
    assert not (data_dir / "credentials.json").exists()


@pytest.mark.parametrize(("backend_made", "works"), [(MemoryKeyring, True), (fail.Keyring, False)])
def test_keyring_works_only_for_a_real_backend(backend_made: type[KeyringBackend], works: bool) -> None:
    assert keyring_works(backend_made()) is works


def test_credentials_repr_hides_the_password() -> None:
    shown = repr(creds())

    assert PASSWORD not in shown and "me@example.com" in shown
