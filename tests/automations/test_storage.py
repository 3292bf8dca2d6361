"""Private files under the data directory (automations/storage.py) and the saved browser
session file (automations/session.SavedSession), on real files in tmp_path.

Covers: the directory 0700 and files 0600 whatever the umask or an existing looser mode,
atomic writes that leave no temporary file, `too_open`, a missing file read as None and a
corrupt one as a ConfigurationError saying how to recover, and a saved session that only
serves the site (and login) it was saved for; a corrupt session is set aside (0600) and
told, and the run logs in afresh.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from automations.errors import ConfigurationError
from automations.home import DataHome
from automations.session import SavedSession
from automations.storage import private_dir, read_json, too_open, write_private, write_private_json

STATE = {"cookies": [{"name": "okko_session", "value": "abc"}], "origins": []}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("permissive_umask")
def test_written_file_is_0600_in_a_0700_dir_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "data" / "nested" / "session.json"

    write_private_json(path, {"a": 1})

    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert json.loads(path.read_text()) == {"a": 1}


def test_an_existing_loose_dir_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)

    private_dir(folder)

    assert mode(folder) == 0o700


def test_overwriting_keeps_0600_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "credentials.json"
    write_private(path, b"first")
    path.chmod(0o644)

    write_private(path, b"second")

    assert path.read_bytes() == b"second"
    assert mode(path) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["credentials.json"]


def test_a_data_dir_that_is_a_file_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a directory")

    with pytest.raises(ConfigurationError, match="OKKO_DATA_DIR"):
        write_private_json(tmp_path / "data" / "session.json", {})


@pytest.mark.parametrize(("file_mode", "expected"), [(0o600, False), (0o640, True), (0o604, True), (0o400, False)])
def test_too_open(tmp_path: Path, file_mode: int, expected: bool) -> None:
    path = tmp_path / "f"
    path.write_text("x")
    path.chmod(file_mode)

    assert too_open(path) is expected


def test_too_open_is_false_for_a_missing_file(tmp_path: Path) -> None:
    assert too_open(tmp_path / "missing") is False


def test_read_json_of_a_missing_file_is_none(tmp_path: Path) -> None:
    assert read_json(tmp_path / "missing.json", "saved session") is None


def test_read_json_of_a_corrupt_file_says_how_to_recover(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    path.write_text('{"storage_state": ')

    with pytest.raises(ConfigurationError) as caught:
        read_json(path, "saved session")

    assert str(caught.value).startswith(f"saved session {path} is unreadable")
    assert "delete it" in str(caught.value) and "okko-cancel login" in str(caught.value)


def write_session(data_dir: Path, site: str, login: str | None) -> None:
    write_private_json(data_dir / "session.json", {"site": site, "login": login, "storage_state": STATE})


@pytest.mark.parametrize(
    ("asking_site", "asking_login", "served"),
    [
        ("okko.tv", "me@example.com", True),
        ("okko.tv", None, True),
        ("127.0.0.1:8800", "me@example.com", False),
        ("okko.tv", "someone@else.com", False),
    ],
)
def test_saved_session_serves_only_its_site_and_login(
    tmp_path: Path, asking_site: str, asking_login: str | None, served: bool
) -> None:
    write_session(tmp_path, "okko.tv", "me@example.com")

    loaded = SavedSession(DataHome(tmp_path, asking_site), asking_login).load()

    assert loaded == (STATE if served else None)


CORRUPT_SESSIONS = [b"{not json", b'{"storage_state": ', b"\xff\xfe\x00garbage", b"[]", b'{"site": "okko.tv"}',
                    b'{"site": "okko.tv", "storage_state": "x"}']


@pytest.mark.parametrize("content", CORRUPT_SESSIONS)
def test_a_corrupt_saved_session_is_set_aside_and_a_fresh_login_follows(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "session.json").write_bytes(content)
    (tmp_path / "session.json").chmod(0o644)
    told: list[str] = []
    session = SavedSession(DataHome(tmp_path, "okko.tv"), None, warn=told.append)

    assert session.load() is None

    [aside] = tmp_path.glob("session.json.corrupt-*")
    assert re.fullmatch(r"session\.json\.corrupt-\d{8}T\d{6}Z", aside.name)
    assert aside.read_bytes() == content and mode(aside) == 0o600
    assert not (tmp_path / "session.json").exists()
    assert told == [(f"the saved session {tmp_path / 'session.json'} was unreadable: moved it aside to {aside.name}; "
                     "the next login saves a new one")]
    assert session.load() is None and len(told) == 1


def test_set_aside_if_corrupt_says_where_and_leaves_a_sound_session_alone(tmp_path: Path) -> None:
    home = DataHome(tmp_path, "okko.tv")
    write_session(tmp_path, "okko.tv", None)

    assert SavedSession(home, None).set_aside_if_corrupt() is None
    assert SavedSession(home, None).load() == STATE

    (tmp_path / "session.json").write_text("{not json")
    aside = SavedSession(home, None).set_aside_if_corrupt()

    assert aside is not None and aside.parent == tmp_path and aside.read_text() == "{not json"


def test_forgetting_the_session_removes_the_corrupt_ones_set_aside_too(tmp_path: Path) -> None:
    (tmp_path / "session.json").write_text("{not json")
    session = SavedSession(DataHome(tmp_path, "okko.tv"), None)
    session.load()
    write_session(tmp_path, "okko.tv", None)

    assert session.forget() is True
    assert list(tmp_path.iterdir()) == []


def test_forgetting_the_session_removes_the_file(tmp_path: Path) -> None:
    write_session(tmp_path, "okko.tv", None)
    session = SavedSession(DataHome(tmp_path, "okko.tv"), None)

    assert session.forget() is True
    assert not (tmp_path / "session.json").exists()
    assert session.forget() is False


def test_cli_warns_about_a_session_file_others_can_read(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cli import cli

    data = tmp_path / "data"
    data.mkdir()
    # A session as a run saves it (an unreadable one is set aside, with a warning of its own).
    (data / "session.json").write_text('{"site": "okko.tv", "login": null, "storage_state": {"cookies": [], "origins": []}}')
    (data / "session.json").chmod(0o644)

    result = CliRunner().invoke(cli, ["logout"], env={"OKKO_DATA_DIR": str(data)})

    assert f"{data / 'session.json'} can be read by other users" in result.stderr
