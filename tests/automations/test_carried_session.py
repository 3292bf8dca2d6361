"""OKKO_SESSION taken in before a run: the exported line round-trips, a newer (or the same)
saved session is kept, an older one replaced, and another site's session refused."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from automations.carried_session import export_string, import_from_setting, parse_string, saved_session
from automations.errors import ConfigurationError
from automations.home import DataHome
from automations.storage import write_private_json

STATE = {"cookies": [{"name": "okko_session", "value": "token"}], "origins": []}


def saved(home: DataHome, token: str, at: float, login: str = "me@okko.test") -> None:
    write_private_json(home.session_file, {"site": home.site_key, "login": login,
                                           "storage_state": {**STATE, "cookies": [{"value": token}]}})
    os.utime(home.session_file, (at, at))


def token_in(home: DataHome) -> str:
    return str(json.loads(home.session_file.read_text())["storage_state"]["cookies"][0]["value"])


@pytest.fixture
def laptop(tmp_path: Path) -> DataHome:
    home = DataHome(tmp_path / "laptop", "okko.tv")
    home.ensure()
    saved(home, "from-the-laptop", 1_800_000_000.0)
    return home


def test_the_line_round_trips_and_is_installed_private(laptop: DataHome, tmp_path: Path) -> None:
    line = export_string(saved_session(laptop))  # type: ignore[arg-type]
    runner = DataHome(tmp_path / "runner", "okko.tv")

    assert line.startswith("okko-session-1:") and "\n" not in line
    assert import_from_setting(runner, line, "me@okko.test") is True
    assert token_in(runner) == "from-the-laptop"
    assert stat.S_IMODE(runner.session_file.stat().st_mode) == 0o600
    assert import_from_setting(runner, line, None) is False  # the same session: left as it is


@pytest.mark.parametrize(("runner_at", "kept"), [(1_700_000_000.0, "from-the-laptop"),
                                                 (1_900_000_000.0, "saved-by-a-later-run")])
def test_a_newer_saved_session_is_kept_and_an_older_one_replaced(laptop: DataHome, tmp_path: Path,
                                                                 runner_at: float, kept: str) -> None:
    line = export_string(saved_session(laptop))  # type: ignore[arg-type]
    runner = DataHome(tmp_path / "runner", "okko.tv")
    runner.ensure()
    saved(runner, "saved-by-a-later-run" if runner_at > 1_800_000_000 else "from-the-laptop", runner_at)

    import_from_setting(runner, line, None)

    assert token_in(runner) == kept


def test_another_sites_or_accounts_session_is_refused(laptop: DataHome, tmp_path: Path) -> None:
    line = export_string(saved_session(laptop))  # type: ignore[arg-type]

    with pytest.raises(ConfigurationError, match="holds a session for okko.tv, not for 127.0.0.1:8800"):
        import_from_setting(DataHome(tmp_path / "mock", "127.0.0.1:8800"), line, None)
    with pytest.raises(ConfigurationError, match="another account than OKKO_LOGIN"):
        import_from_setting(DataHome(tmp_path / "runner", "okko.tv"), line, "other@okko.test")


def test_a_line_cut_short_is_refused_without_echoing_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_string("okko-session-1:eJzLSM3JyQcABiwCFQ")

    assert "cut short or changed" in str(caught.value) and "eJz" not in str(caught.value)
