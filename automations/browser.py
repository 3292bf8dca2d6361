"""Finding, and if need be installing, the Chromium that the flows drive.

Order of preference, fixed and documented: a browser the user configured
(``OKKO_BROWSER_PATH`` / ``--browser-path``), then Playwright's own Chromium, then a
Chromium/Chrome installed on the system. Playwright's own download needs its CDN, which
closed networks do not reach, so a system browser is a first-class fallback rather than
an afterthought.

``python -m automations.browser locate`` reports the choice; ``... install`` is the set-up
step that also tries to obtain a browser when none is found.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from automations.errors import BrowserNotFound
from automations.i18n import LANGS, N_, _, use_language

BrowserSource = Literal["configured", "playwright", "system"]

BROWSER_PATH_ENV = "OKKO_BROWSER_PATH"

# In English here; `_(NOT_FOUND_MESSAGE)` where it is said.
NOT_FOUND_MESSAGE = N_(
    "No Chromium or Chrome found: run `make setup` (or `python -m automations.browser install`), "
    "or set OKKO_BROWSER_PATH to a Chrome/Chromium executable."
)

# Looked up on PATH in this order; chromium first because distributions package it and
# it is what the flows are tested against.
SYSTEM_BROWSER_NAMES: tuple[str, ...] = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
)

# Debian's chromium-headless-shell, Chrome for Testing's chrome-headless-shell.
SYSTEM_HEADLESS_SHELL_NAMES: tuple[str, ...] = ("chromium-headless-shell", "chrome-headless-shell")

# Measured here: with the CDN unresolvable `playwright install` fails in about 3 s, but on a
# network that resolves names and then drops packets it can sit in a download; bound it.
PLAYWRIGHT_INSTALL_TIMEOUT_S = 300.0
APT_UPDATE_TIMEOUT_S = 300.0
APT_INSTALL_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class BrowserChoice:
    """Which browser to launch; ``executable=None`` means Playwright's bundled Chromium."""

    executable: Path | None
    source: BrowserSource

    @property
    def label(self) -> str:
        return str(self.executable) if self.executable is not None else _("Playwright's bundled Chromium")


def find_browser(
    configured: Path | None,
    playwright_executable: str | None,
    *,
    system_locations: Sequence[Path] | None = None,
    headless: bool = True,
) -> BrowserChoice:
    """Pick a browser: configured > Playwright's own Chromium > system Chromium/Chrome.

    Headless, a system "headless shell" build comes first where one is installed: it is
    what Playwright itself runs headless, and it starts pages about twice as fast.

    ``playwright_executable`` is what ``playwright.chromium.executable_path`` reports; it
    counts only if the file is there, because Playwright reports the path whether or not
    the browser was ever downloaded. ``system_locations`` replaces the platform's well-known
    install locations (checked after PATH); tests pass ``()`` to stay hermetic.
    """
    if configured is not None:
        # A configured path that does not work is an error, not a hint: silently launching
        # some other browser would hide the user's mistake.
        return BrowserChoice(_checked_configured(configured), "configured")
    if playwright_executable and Path(playwright_executable).is_file():
        return BrowserChoice(None, "playwright")
    system = _find_system_browser(
        _default_system_locations() if system_locations is None else system_locations,
        SYSTEM_HEADLESS_SHELL_NAMES + SYSTEM_BROWSER_NAMES if headless else SYSTEM_BROWSER_NAMES,
    )
    if system is not None:
        return BrowserChoice(system, "system")
    raise BrowserNotFound(_(NOT_FOUND_MESSAGE))


def _checked_configured(path: Path) -> Path:
    candidate = path.expanduser()
    problem: str | None = None
    if not candidate.exists():
        problem = _("does not exist")
    elif candidate.is_dir():
        problem = _("is a directory (on macOS point inside the .app, at Contents/MacOS/...)")
    elif not candidate.is_file():
        problem = _("is not a regular file")
    elif not os.access(candidate, os.X_OK):
        problem = _("is not executable (chmod +x it?)")
    if problem is not None:
        raise BrowserNotFound(
            _("Browser path {path} (from {variable} / --browser-path) {problem}: set it to a Chrome/Chromium "
              "executable, or unset it to use the bundled or system browser.").format(
                path=candidate, variable=BROWSER_PATH_ENV, problem=problem)
        )
    return candidate.absolute()


def _find_system_browser(locations: Sequence[Path], names: Sequence[str] = SYSTEM_BROWSER_NAMES) -> Path | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return Path(found).absolute()
    for location in locations:
        if location.is_file() and os.access(location, os.X_OK):
            return location
    return None


def _default_system_locations() -> tuple[Path, ...]:
    """Install locations that are often missing from PATH (macOS apps, Windows, cron's PATH)."""
    if sys.platform == "darwin":
        apps = (
            "Google Chrome.app/Contents/MacOS/Google Chrome",
            "Chromium.app/Contents/MacOS/Chromium",
        )
        roots = (Path("/Applications"), Path.home() / "Applications")
        return tuple(root / app for root in roots for app in apps)
    if sys.platform == "win32":
        roots = [
            os.environ.get(var)
            for var in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")
        ]
        apps = ("Google/Chrome/Application/chrome.exe", "Chromium/Application/chrome.exe")
        return tuple(Path(root) / app for root in roots if root for app in apps)
    # Linux and the BSDs: a scheduled job's PATH may be just /usr/bin:/bin.
    return (
        Path("/usr/bin/chromium"),
        Path("/usr/bin/chromium-browser"),
        Path("/snap/bin/chromium"),
        Path("/usr/bin/google-chrome"),
        Path("/opt/google/chrome/chrome"),
    )


def playwright_executable_path() -> str | None:
    """Where Playwright's Chromium is (or would be); None if Playwright cannot say."""
    try:
        # Imported here: importing and starting the driver costs ~0.5 s, which the
        # configured-path and no-bundled-browser cases should not pay.
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            return playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - any failure only means "no bundled browser known"
        return None


def _playwright_registry_dir() -> Path | None:
    """Playwright's browser cache directory, or None when only Playwright itself can tell.

    Mirrors the registry lookup in playwright-core (PLAYWRIGHT_BROWSERS_PATH, then the
    platform cache directory + ms-playwright).
    """
    if any(key.lower().startswith("npm_config_playwright") for key in os.environ):
        return None
    configured = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if configured == "0":
        return None  # browsers live inside the installed package
    if configured:
        path = Path(configured)
        return path if path.is_absolute() else None
    if sys.platform.startswith("linux"):
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        return None
    return base / "ms-playwright"


def _playwright_chromium_may_exist() -> bool:
    """Cheap, one-sided test: False only when Playwright certainly has no Chromium.

    Lets the common "no bundled browser" case skip starting the Playwright driver while
    keeping the order configured > playwright > system exact.
    """
    registry = _playwright_registry_dir()
    if registry is None:
        return True
    try:
        return any(registry.glob("chromium-*"))
    except OSError:
        return True


def _configured_from_env() -> Path | None:
    value = os.environ.get(BROWSER_PATH_ENV, "").strip()
    return Path(value) if value else None


def locate_browser(configured: Path | None = None, *, headless: bool = True) -> BrowserChoice:
    """Find a browser without installing anything; ``configured`` defaults to OKKO_BROWSER_PATH."""
    if configured is None:
        configured = _configured_from_env()
    if configured is not None:
        return find_browser(configured, None)
    bundled = playwright_executable_path() if _playwright_chromium_may_exist() else None
    return find_browser(None, bundled, headless=headless)


def launch_args() -> list[str]:
    """Extra Chromium flags for closed networks and root containers.

    Playwright (checked in playwright-core 1.65's chromiumSwitches and launch code) already
    passes --disable-background-networking, --disable-component-update,
    --disable-dev-shm-usage, --no-first-run and, unless chromiumSandbox=True, --no-sandbox;
    only what it does not add is listed here.
    """
    return [
        # QUIC is UDP; closed networks and proxies often drop it silently, which shows up
        # as slow navigations before the fallback to TCP.
        "--disable-quic",
        "--disable-sync",
    ]


def _run(command: Sequence[str], timeout_s: float, env: Mapping[str, str] | None = None) -> tuple[bool, str]:
    """Run a set-up command with its output on stderr; returns (succeeded, outcome text)."""
    print(f"$ {' '.join(command)}", file=sys.stderr, flush=True)
    posix = os.name == "posix"
    try:
        # stdout goes to fd 2 so that `install` keeps its stdout to the one result line;
        # a new session lets a timeout kill the whole tree (python -> node driver).
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=2,
            env=dict(env) if env is not None else None,
            start_new_session=posix,
        )
    except OSError as exc:
        return False, _("could not start: {error}").format(error=exc.strerror or exc)
    try:
        code = process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_tree(process)
        return False, _("timed out after {seconds:.0f} s").format(seconds=timeout_s)
    except BaseException:
        _kill_tree(process)
        raise
    return code == 0, _("exit {code}").format(code=code)


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    else:
        process.kill()
    process.wait()


def _can_apt_install() -> bool:
    is_root = getattr(os, "geteuid", lambda: -1)() == 0
    return is_root and Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None


def install_browser(configured: Path | None = None) -> BrowserChoice:
    """Make sure a browser is available: locate, else download Playwright's, else apt.

    Idempotent and fast when a browser is already there (no subprocess is started).
    """
    if configured is None:
        configured = _configured_from_env()
    if configured is not None:
        # Installing cannot fix a wrong configured path; say so instead of downloading.
        return find_browser(configured, None)
    try:
        return locate_browser()
    except BrowserNotFound:
        pass

    tried: list[str] = []
    ok, outcome = _run(
        [sys.executable, "-m", "playwright", "install", "chromium"], PLAYWRIGHT_INSTALL_TIMEOUT_S
    )
    tried.append(f"`playwright install chromium` ({outcome})")
    if ok:
        try:
            return locate_browser()
        except BrowserNotFound:
            pass

    if _can_apt_install():
        apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        # A failed update is not fatal: the existing package lists may still have chromium.
        _run(["apt-get", "update", "-qq"], APT_UPDATE_TIMEOUT_S, apt_env)
        install = ["apt-get", "install", "-y", "-qq", "-o", "DPkg::Lock::Timeout=120", "chromium"]
        # The headless shell makes headless runs (and the test suite) about twice as fast;
        # older releases lack the package, so it is asked for but not required.
        ok, outcome = _run([*install, "chromium-headless-shell"], APT_INSTALL_TIMEOUT_S, apt_env)
        if not ok:
            ok, outcome = _run(install, APT_INSTALL_TIMEOUT_S, apt_env)
        tried.append(f"`apt-get install chromium` ({outcome})")
        try:
            return locate_browser()
        except BrowserNotFound:
            pass
    else:
        tried.append(_("apt-get skipped (needs root on Debian/Ubuntu)"))

    raise BrowserNotFound(
        _("No Chromium or Chrome found after trying {tried}: install Chromium or Google Chrome, or set {variable} "
          "to its executable.").format(tried="; ".join(tried), variable=BROWSER_PATH_ENV)
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m automations.browser",
        description="Find (locate) or provide (install) the Chromium that okko-cancel drives.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("locate", "print the browser that would be used; installs nothing"),
        ("install", "like locate, but download or apt-get a browser when none is found"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "--browser-path",
            type=Path,
            default=None,
            help=f"use this executable (default: ${BROWSER_PATH_ENV})",
        )
    args = parser.parse_args(argv)
    # Its errors in the run's language, as the command line's: OKKO_LANG, else the locale.
    lang = os.environ.get("OKKO_LANG", "").strip().lower()
    use_language(lang if lang in LANGS else None)  # type: ignore[arg-type]
    try:
        if args.command == "install":
            choice = install_browser(args.browser_path)
        else:
            choice = locate_browser(args.browser_path)
    except BrowserNotFound as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    print(f"browser: {choice.label} ({choice.source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
