"""Browser provisioning: which browser is chosen, and what the user is told when none works.

Fast unit tests on real files: fake "browsers" are executable files in tmp_path, and the
system lookup is pointed at a PATH made of a tmp directory. Nothing launches a browser.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from automations import browser
from automations.browser import NOT_FOUND_MESSAGE, BrowserChoice, find_browser, launch_args, locate_browser
from automations.errors import (
    BrowserNotFound,
    ConfigurationError,
    FlowFailed,
    HumanNeeded,
    LoginRejected,
    OkkoCancelError,
    SiteUnreachable,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="fake executables rely on the POSIX x bit")

NO_LOCATIONS: tuple[Path, ...] = ()


def make_executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def system_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An otherwise empty PATH directory; tests drop fake browsers into it."""
    directory = tmp_path / "system-bin"
    directory.mkdir()
    monkeypatch.setenv("PATH", str(directory))
    return directory


@pytest.fixture
def fake_playwright_chromium(tmp_path: Path) -> str:
    return str(make_executable(tmp_path / "ms-playwright" / "chromium-1" / "chrome-linux64" / "chrome"))


def test_configured_executable_is_chosen(tmp_path: Path, system_path: Path) -> None:
    chrome = make_executable(tmp_path / "my-chrome")

    assert find_browser(chrome, None, system_locations=NO_LOCATIONS) == BrowserChoice(chrome, "configured")


def test_configured_beats_playwright_and_system(
    tmp_path: Path, system_path: Path, fake_playwright_chromium: str
) -> None:
    make_executable(system_path / "chromium")
    chrome = make_executable(tmp_path / "my-chrome")

    choice = find_browser(chrome, fake_playwright_chromium, system_locations=NO_LOCATIONS)

    assert choice == BrowserChoice(chrome, "configured")


def test_playwright_beats_system(system_path: Path, fake_playwright_chromium: str) -> None:
    make_executable(system_path / "chromium")

    choice = find_browser(None, fake_playwright_chromium, system_locations=NO_LOCATIONS)

    assert choice == BrowserChoice(None, "playwright")


def test_system_browser_on_path_is_used_when_playwright_has_none(tmp_path: Path, system_path: Path) -> None:
    chromium = make_executable(system_path / "chromium")
    # Playwright reports its path even when nothing was downloaded there.
    missing_bundled = str(tmp_path / "ms-playwright" / "chromium-1" / "chrome")

    choice = find_browser(None, missing_bundled, system_locations=NO_LOCATIONS)

    assert choice == BrowserChoice(chromium, "system")


def test_system_browser_found_under_another_name(system_path: Path) -> None:
    chrome = make_executable(system_path / "google-chrome-stable")

    assert find_browser(None, None, system_locations=NO_LOCATIONS) == BrowserChoice(chrome, "system")


def test_chromium_is_preferred_over_chrome_on_path(system_path: Path) -> None:
    make_executable(system_path / "google-chrome")
    chromium = make_executable(system_path / "chromium")

    assert find_browser(None, None, system_locations=NO_LOCATIONS).executable == chromium


@pytest.mark.parametrize(("headless", "expected"), [(True, "chromium-headless-shell"), (False, "chromium")])
def test_headless_shell_is_preferred_only_for_headless_runs(system_path: Path, headless: bool, expected: str) -> None:
    make_executable(system_path / "chromium")
    make_executable(system_path / "chromium-headless-shell")
    choice = find_browser(None, None, system_locations=(), headless=headless)
    assert choice.executable == system_path / expected


def test_non_executable_file_on_path_is_skipped(system_path: Path) -> None:
    (system_path / "chromium").write_text("not a browser")
    chrome = make_executable(system_path / "google-chrome")

    assert find_browser(None, None, system_locations=NO_LOCATIONS).executable == chrome


def test_well_known_location_is_used_when_path_has_nothing(tmp_path: Path, system_path: Path) -> None:
    app = make_executable(tmp_path / "Applications" / "Chromium.app" / "Contents" / "MacOS" / "Chromium")

    assert find_browser(None, None, system_locations=[app]) == BrowserChoice(app, "system")


def test_nothing_found_tells_the_user_what_to_do(system_path: Path) -> None:
    with pytest.raises(BrowserNotFound) as raised:
        find_browser(None, None, system_locations=NO_LOCATIONS)

    assert str(raised.value) == NOT_FOUND_MESSAGE
    assert "make setup" in NOT_FOUND_MESSAGE and "OKKO_BROWSER_PATH" in NOT_FOUND_MESSAGE


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "no-such-chrome"


def _directory(tmp_path: Path) -> Path:
    (tmp_path / "Google Chrome.app").mkdir()
    return tmp_path / "Google Chrome.app"


def _not_executable(tmp_path: Path) -> Path:
    path = tmp_path / "chrome"
    path.write_text("#!/bin/sh\n")
    # No x bit for anyone: even root's os.access(X_OK) is then False.
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return path


@pytest.mark.parametrize(
    ("make_bad_path", "problem"),
    [
        (_missing, "does not exist"),
        (_directory, "is a directory"),
        (_not_executable, "is not executable"),
    ],
    ids=["missing", "directory", "not-executable"],
)
def test_bad_configured_path_is_reported_not_replaced(
    tmp_path: Path,
    system_path: Path,
    fake_playwright_chromium: str,
    make_bad_path: Callable[[Path], Path],
    problem: str,
) -> None:
    bad = make_bad_path(tmp_path)
    # Working fallbacks exist, and must not be used silently instead of the user's path.
    make_executable(system_path / "chromium")

    with pytest.raises(BrowserNotFound) as raised:
        find_browser(bad, fake_playwright_chromium, system_locations=NO_LOCATIONS)

    message = str(raised.value)
    assert str(bad) in message
    assert problem in message
    assert "OKKO_BROWSER_PATH" in message
    assert "\n" not in message
    assert raised.value.exit_code == 2


def test_configured_path_expands_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    chrome = make_executable(tmp_path / "bin" / "chrome")

    assert find_browser(Path("~/bin/chrome"), None, system_locations=NO_LOCATIONS).executable == chrome


def test_locate_reads_browser_path_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system_path: Path
) -> None:
    chrome = make_executable(tmp_path / "my-chrome")
    monkeypatch.setenv("OKKO_BROWSER_PATH", str(chrome))

    assert locate_browser() == BrowserChoice(chrome, "configured")


def test_locate_skips_playwright_when_its_cache_has_no_chromium(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system_path: Path
) -> None:
    monkeypatch.delenv("OKKO_BROWSER_PATH", raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "empty-cache"))
    chromium = make_executable(system_path / "chromium")

    # If this started the Playwright driver it would still be correct, only slow; the
    # choice is what is checked here, the speed in the CLI timing.
    assert locate_browser() == BrowserChoice(chromium, "system")


def test_cli_locate_prints_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    chrome = make_executable(tmp_path / "my-chrome")
    monkeypatch.setenv("OKKO_BROWSER_PATH", str(chrome))

    assert browser.main(["locate"]) == 0
    assert capsys.readouterr().out == f"browser: {chrome} (configured)\n"


def test_cli_reports_bad_path_on_stderr_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = browser.main(["install", "--browser-path", str(tmp_path / "nope")])

    captured = capsys.readouterr()
    assert exit_code == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and str(tmp_path / "nope") in captured.err


def test_launch_args_disable_quic() -> None:
    assert "--disable-quic" in launch_args()


@pytest.mark.parametrize(
    ("error", "exit_code"),
    [
        (FlowFailed("open subscriptions", "button#renew"), 1),
        (ConfigurationError("no credentials"), 2),
        (BrowserNotFound("no browser"), 2),
        (LoginRejected("wrong password"), 3),
        (SiteUnreachable("timeout"), 4),
        (HumanNeeded("captcha"), 5),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_errors_carry_the_contract_exit_codes(error: OkkoCancelError, exit_code: int) -> None:
    assert isinstance(error, OkkoCancelError)
    assert error.exit_code == exit_code


def test_flow_failed_names_step_and_element() -> None:
    error = FlowFailed("unbind card", "button[data-test=unbind]", "not visible after 10 s")

    assert "unbind card" in str(error) and "button[data-test=unbind]" in str(error)
    assert (error.step, error.element) == ("unbind card", "button[data-test=unbind]")
