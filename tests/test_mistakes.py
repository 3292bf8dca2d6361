"""People's mistakes, through the command line against the mock site (issue 14): a wrong
password remembered per login and password (so the next run does not try it again, while
the right one is let through), and the data directory's files gone bad (a corrupt
`session.json` costs a fresh login; `logout` works whatever state the files are in).

What reached the site is read from its admin API: each `login_failed` is one step toward
the account's lock.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.helpers import cli_env, error_line, run
from tests.keyrings import MemoryKeyring

# Whole commands: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

WRONG = "wrong-SENTINEL-one"
OTHER_WRONG = "wrong-SENTINEL-two"
REFUSED = re.compile(r"^Error: the site refused demo@okko\.test with this password at \S+; not trying the same "
                     r"credentials again: run `okko-cancel login` to log in anew, or give the right password "
                     r"\(a changed one is tried once\)$")
REJECTED_BY_THE_SITE = ("Error: the site rejected the login for demo@okko.test («Неверный логин или пароль»): check "
                        "the password and run `okko-cancel login` again; not retried, to avoid locking the account")


def with_password(data_dir: Path, base_url: str, password: str) -> dict[str, str | None]:
    return cli_env(data_dir, base_url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=password)


def failed_logins(site: AdminClient) -> int:
    return site.event_types().count("login_failed")


def logins(site: AdminClient) -> list[str]:
    return [kind for kind in site.event_types() if kind.startswith("login_") and kind != "login_code_sent"]


def no_secret_in(data_dir: Path, *secrets: str) -> bool:
    return not any(secret.encode() in path.read_bytes()
                   for path in data_dir.rglob("*") if path.is_file() for secret in secrets)


@pytest.fixture
def file_keyring() -> Iterator[None]:
    """No OS keyring works: the credentials live in credentials.json."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


# ------------------------------------------------------------------- a wrong password


@pytest.mark.variant("classic")  # a password the site refuses; okko.tv logs in by code
def test_a_wrong_password_at_login_is_not_tried_again_by_the_next_run_but_the_right_one_is(
    site: AdminClient, mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    wrong = with_password(data_dir, mock_site.url, WRONG)

    login = run(["login"], wrong)
    again = run(["status"], wrong)

    assert login.exit_code == 3, login.output
    assert error_line(login) == REJECTED_BY_THE_SITE
    assert again.exit_code == 3, again.output
    assert REFUSED.match(error_line(again)), error_line(again)
    assert failed_logins(site) == 1
    assert no_secret_in(data_dir, WRONG)

    right = run(["status", "--json"], with_password(data_dir, mock_site.url, DEMO_PASSWORD))

    assert right.exit_code == 0, right.output
    assert logins(site) == ["login_failed", "login_ok"]
    # The right password logged in: the record of the wrong one is gone with it.
    assert not (data_dir / "login-rejected.json").exists()
    assert WRONG not in login.output + again.output + right.output


@pytest.mark.variant("classic")
def test_each_changed_password_is_tried_once(site: AdminClient, mock_site: MockSite, data_dir: Path,
                                             memory_keyring: MemoryKeyring) -> None:
    first = run(["status"], with_password(data_dir, mock_site.url, WRONG))
    changed = run(["status"], with_password(data_dir, mock_site.url, OTHER_WRONG))
    changed_again = run(["status"], with_password(data_dir, mock_site.url, OTHER_WRONG))
    first_again = run(["status"], with_password(data_dir, mock_site.url, WRONG))

    assert [r.exit_code for r in (first, changed, changed_again, first_again)] == [3, 3, 3, 3]
    assert error_line(first) == error_line(changed) == REJECTED_BY_THE_SITE
    assert REFUSED.match(error_line(changed_again)) and REFUSED.match(error_line(first_again))
    assert failed_logins(site) == 2
    assert no_secret_in(data_dir, WRONG, OTHER_WRONG)


# ------------------------------------------------------------------ files gone bad


@pytest.mark.variant("classic")
def test_a_corrupt_session_is_set_aside_and_the_saved_credentials_log_in_again(
    site: AdminClient, mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    site_key = mock_site.url.removeprefix("http://")
    memory_keyring.set_password("okko-cancel", site_key, json.dumps({"login": DEMO_EMAIL, "password": DEMO_PASSWORD}))
    data_dir.mkdir(mode=0o700)
    (data_dir / "session.json").write_bytes(b'{"site": "' + site_key.encode() + b'", "storage_st')

    result = run(["status", "--json"], cli_env(data_dir, mock_site.url))

    assert result.exit_code == 0, result.output
    assert [c["label"] for c in json.loads(result.stdout)["cards"]] == ["Visa •••• 4242"]
    assert logins(site) == ["login_ok"]
    [aside] = data_dir.glob("session.json.corrupt-*")
    assert aside.read_bytes().endswith(b'"storage_st') and stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert isinstance(json.loads((data_dir / "session.json").read_text())["storage_state"], dict)


def test_logout_works_with_corrupt_files_and_says_what_it_removed(
    mock_site: MockSite, data_dir: Path, file_keyring: None
) -> None:
    data_dir.mkdir(mode=0o700)
    (data_dir / "credentials.json").write_bytes(b"\xff{not json")
    (data_dir / "session.json").write_text("{not json")

    result = run(["logout", "--json"], cli_env(data_dir, mock_site.url))

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"credentials_removed": True, "session_removed": True}
    assert f"the credentials file {data_dir / 'credentials.json'} was unreadable: removed it" in result.stderr
    assert list(data_dir.iterdir()) == []
