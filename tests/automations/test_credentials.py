"""The credential store (automations/credentials.py): the OS keyring when a backend works,
else a 0600 file in a 0700 data directory, with a warning given before the file is written.

Covers round trips through both, `forget`, credentials kept per site, a corrupt or
incomplete saved entry (a ConfigurationError saying how to recover), a file other users
can read (a warning), and that the password never shows in a repr. The keyring side runs
on a real in-memory keyring backend (tests/keyrings.py) and keyring's own `fail` backend;
nothing of ours is mocked.

Also: a login checked as an e-mail or a Russian phone number wherever credentials are made
(every mock scenario's logins pass), and the rejected-login record: per login and password,
as a salted hash, never the password; a first-format record still refuses its login.
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

from automations.credentials import (SERVICE, CredentialStore, Credentials, RejectedLogin, check_login,
                                     keyring_works, login_key)
from automations.errors import ConfigurationError, LoginRejected
from automations.home import DataHome
from fixtures.mock_site.scenarios import SCENARIOS, expand_scenario
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


# ------------------------------------------------------------------------- the login's form


def scenario_logins() -> list[str]:
    """Every e-mail and phone the mock's scenarios seed: the tool must take each of them."""
    logins: set[str] = set()
    for scenario in SCENARIOS:
        for account in expand_scenario(scenario, 3 if scenario == "crowd" else None):
            logins.update({account["email"], account["phone"]})
    return sorted(logins)


@pytest.mark.parametrize("login", [
    *scenario_logins(), "+7 999 123-45-67", "+79991234567", "89991234567", "8 (999) 123-45-67", "8-999-123-45-67",
    "+7 (999) 123 45 67", "9991234567", "me@example.com", "First.Last+tag@mail.example.co.uk", "иван@почта.рф",
])
def test_an_email_or_a_russian_phone_is_a_login(login: str) -> None:
    assert check_login(f"  {login} ") == login
    assert Credentials(f" {login}", SecretStr("")).login == login


SHOWN = "is neither an e-mail nor a phone number (+7 999 123-45-67)"


@pytest.mark.parametrize(("login", "message"), [
    ("notanemail", f"the login «notanemail» {SHOWN}"),
    ("demo", f"the login «demo» {SHOWN}"),
    ("me@example", f"the login «me@example» {SHOWN}"),
    ("me@example.c", f"the login «me@example.c» {SHOWN}"),
    ("@example.com", f"the login «@example.com» {SHOWN}"),
    ("me @example.com", f"the login «me @example.com» {SHOWN}"),
    ("me@@example.com", f"the login «me@@example.com» {SHOWN}"),
    ("12345", f"the login «12345» {SHOWN}"),
    ("+7 999 123-45-6", f"the login «+7 999 123-45-6» {SHOWN}"),  # ten digits after +7
    ("+8 999 123-45-67", f"the login «+8 999 123-45-67» {SHOWN}"),  # not a Russian number
    ("7 999 123-45-67 8", f"the login «7 999 123-45-67 8» {SHOWN}"),  # twelve digits
    ("99912345678", f"the login «99912345678» {SHOWN}"),  # eleven digits, neither 7 nor 8 first
    ("+7 999 123-45-67 ext 2", f"the login «+7 999 123-45-67 ext 2» {SHOWN}"),
    ("me@example.com\nx", f"the login «me@example.com?x» {SHOWN}"),  # one line, whatever was typed
    ("x" * 300, f"the login «{'x' * 64}…» {SHOWN}"),
], ids=lambda value: value[:24])
def test_anything_else_is_refused_in_one_line(login: str, message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        check_login(login)

    assert str(caught.value) == message
    with pytest.raises(ConfigurationError, match="is neither an e-mail nor a phone number"):
        Credentials(login, SecretStr(PASSWORD))


def test_the_error_names_where_the_login_came_from_and_the_fix() -> None:
    with pytest.raises(ConfigurationError) as caught:
        check_login("notanemail", "OKKO_LOGIN")
    assert str(caught.value) == "OKKO_LOGIN «notanemail» is neither an e-mail nor a phone number (+7 999 123-45-67)"

    with pytest.raises(ConfigurationError) as caught:
        check_login("demo", "the saved login", "run `okko-cancel login` again")
    assert str(caught.value) == ("the saved login «demo» is neither an e-mail nor a phone number (+7 999 123-45-67): "
                                 "run `okko-cancel login` again")


def test_a_saved_login_that_is_not_one_says_to_log_in_again(data_dir: Path) -> None:
    backend = MemoryKeyring()
    backend.set_password(SERVICE, SITE, json.dumps({"login": "notanemail", "password": PASSWORD}))

    with pytest.raises(ConfigurationError) as caught:
        CredentialStore(DataHome(data_dir, SITE), backend=backend).load()

    assert str(caught.value) == ("the saved login «notanemail» is neither an e-mail nor a phone number "
                                 "(+7 999 123-45-67): run `okko-cancel login` again")
    assert PASSWORD not in str(caught.value)


@pytest.mark.parametrize(("one", "other"), [
    ("+7 999 123-45-67", "89991234567"), ("8 (999) 123-45-67", "9991234567"), ("Me@Example.com", "me@example.com"),
])
def test_one_account_has_one_login_key_however_it_is_written(one: str, other: str) -> None:
    assert login_key(one) == login_key(other)


# ------------------------------------------------------------------ logout with a corrupt file


@pytest.mark.parametrize("content", [b"{not json", b"[]", b"\xff\xfe\x00garbage"], ids=["not-json", "list", "binary"])
def test_forgetting_removes_a_corrupt_file_and_says_so(data_dir: Path, warnings: Warnings, content: bytes) -> None:
    data_dir.mkdir()
    path = data_dir / "credentials.json"
    path.write_bytes(content)
    store = CredentialStore(DataHome(data_dir, SITE), backend=fail.Keyring(), warn=warnings)

    assert store.forget() is True

    assert not path.exists()
    assert warnings == [f"the credentials file {path} was unreadable: removed it, with whatever it held"]
    assert store.forget() is False


# ---------------------------------------------------------------- the rejected-login record


@pytest.fixture
def rejected(data_dir: Path) -> RejectedLogin:
    return RejectedLogin(DataHome(data_dir, SITE))


def refused(record: RejectedLogin, credentials: Credentials) -> bool:
    try:
        record.refuse_if_rejected(credentials)
    except LoginRejected:
        return True
    return False


def test_the_same_login_and_password_are_refused_and_a_changed_password_is_not(rejected: RejectedLogin) -> None:
    rejected.record(creds("me@example.com", "wrong-1"), "the site rejected the login")

    assert refused(rejected, creds("me@example.com", "wrong-1"))
    assert refused(rejected, creds("ME@example.com ", "wrong-1"))
    assert not refused(rejected, creds("me@example.com", "wrong-2"))
    assert not refused(rejected, creds("other@example.com", "wrong-1"))
    assert not refused(RejectedLogin(DataHome(rejected.file.parent, OTHER_SITE)), creds("me@example.com", "wrong-1"))


def test_every_rejected_password_is_refused_not_only_the_last(rejected: RejectedLogin) -> None:
    rejected.record(creds("+7 999 123-45-67", "wrong-1"), "rejected")
    rejected.record(creds("89991234567", "wrong-2"), "rejected")

    assert refused(rejected, creds("+79991234567", "wrong-1"))
    assert refused(rejected, creds("8 999 123 45 67", "wrong-2"))
    assert not refused(rejected, creds("+7 999 123-45-67", "right"))


def test_the_refusal_says_how_to_go_on(rejected: RejectedLogin) -> None:
    rejected.record(creds("me@example.com", "wrong-1"), "rejected")

    with pytest.raises(LoginRejected) as caught:
        rejected.refuse_if_rejected(creds("me@example.com", "wrong-1"))

    at = json.loads(rejected.file.read_text())[SITE]["rejected"][0]["at"]
    assert str(caught.value) == (f"the site refused me@example.com with this password at {at}; not trying the same "
                                 "credentials again: run `okko-cancel login` to log in anew, or give the right "
                                 "password (a changed one is tried once)")


def test_the_record_keeps_a_salted_hash_never_the_password(rejected: RejectedLogin, data_dir: Path) -> None:
    rejected.record(creds("me@example.com", PASSWORD), "rejected")
    RejectedLogin(DataHome(data_dir, OTHER_SITE)).record(creds("me@example.com", PASSWORD), "rejected")

    raw = rejected.file.read_bytes()
    assert PASSWORD.encode() not in raw
    assert mode(rejected.file) == 0o600
    document = json.loads(raw)
    ours, theirs = document[SITE], document[OTHER_SITE]
    assert ours["rejected"][0]["login"] == "me@example.com"
    # Salted per site: the same credentials do not hash alike, so one hash says nothing of another.
    assert ours["salt"] != theirs["salt"]
    assert ours["rejected"][0]["hash"] != theirs["rejected"][0]["hash"]


def test_a_success_clears_only_that_login(rejected: RejectedLogin) -> None:
    rejected.record(creds("me@example.com", "wrong-1"), "rejected")
    rejected.record(creds("other@example.com", "wrong-1"), "rejected")

    rejected.clear("Me@example.com")

    assert not refused(rejected, creds("me@example.com", "wrong-1"))
    assert refused(rejected, creds("other@example.com", "wrong-1"))
    rejected.clear("other@example.com")
    assert not rejected.file.exists()


def test_a_first_format_record_refuses_its_login_until_a_password_is_known(rejected: RejectedLogin) -> None:
    rejected.file.parent.mkdir(mode=0o700)
    rejected.file.write_text(json.dumps({SITE: {"login": "me@example.com", "at": "2024-05-01T08:00:00+00:00",
                                                "reason": "the site rejected the login"}}))

    with pytest.raises(LoginRejected) as caught:
        rejected.refuse_if_rejected(creds("me@example.com", "any"))
    assert str(caught.value) == ("the site rejected the login as me@example.com at 2024-05-01T08:00:00+00:00; not "
                                 "trying the same credentials again: run `okko-cancel login` to log in anew")
    assert not refused(rejected, creds("other@example.com", "any"))

    # A rejection recorded now names the password: the old entry gives way to it.
    rejected.record(creds("me@example.com", "wrong-1"), "rejected")

    assert refused(rejected, creds("me@example.com", "wrong-1"))
    assert not refused(rejected, creds("me@example.com", "right"))


@pytest.mark.parametrize("content", ["{not json", "[]", json.dumps({SITE: "x"}), json.dumps({SITE: {"rejected": "x"}}),
                                     json.dumps({SITE: {"salt": "zz", "rejected": [{"login": "me@example.com",
                                                                                    "hash": "00"}]}})],
                         ids=["not-json", "list", "string", "not-a-list", "bad-salt"])
def test_a_damaged_record_refuses_nothing_and_is_rewritten(rejected: RejectedLogin, content: str) -> None:
    rejected.file.parent.mkdir(mode=0o700)
    rejected.file.write_text(content)

    assert not refused(rejected, creds("me@example.com", "wrong-1"))
    rejected.record(creds("me@example.com", "wrong-1"), "rejected")
    assert refused(rejected, creds("me@example.com", "wrong-1"))
