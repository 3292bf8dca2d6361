"""The data directory's layout, owned in one place: where each kind of file lives, and that
every folder made in it is private (0700).

    home = settings.home
    home.session_file          # session.json: the browser's storage state
    home.folder(RECEIPTS)      # receipts/, made private on first use
    home.stamped(TRACES, "status", ".zip")   # traces/<UTC time>-status.zip

Everything the tool writes goes through here; a new kind of file gets a name below, not a
path built where it is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from automations.storage import private_dir

SESSION_FILE = "session.json"
CREDENTIALS_FILE = "credentials.json"
REJECTED_FILE = "login-rejected.json"
CONFIG_FILE = "config.toml"
LOCATORS_FILE = "locators.toml"
# `check`'s runs and steps (automations/history.py): every run's, the mock's too, in one file.
HISTORY_FILE = "history.sqlite"

# Folders, each made private the first time something is written into it.
RECEIPTS = "receipts"
TRACES = "traces"
CHECKS = "checks"
LETTERS = "letters"
BATCH = "batch"
ACCOUNTS = "accounts"
LOCKS = "locks"
# check's ARIA baselines, a folder per site (automations/baselines.py).
BASELINES = "baselines"
# capture's zips of redacted snapshots and masked screenshots, for a bug report.
CAPTURES = "captures"
# What `watch` found: a folder per run with findings, each with the receipt it rests on.
EVIDENCE = "evidence"
# Data directories of their own, beside the user's: the bundled mock's runs never touch the
# real account's session or receipts.
DEMO = "demo"
MOCK_CHECK = "mock-check"


def utc_stamp(moment: datetime | None = None) -> str:
    """A file name's time: sortable, and the same in every time zone."""
    return (moment or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def account_slug(login: str) -> str:
    """A folder name for an account: its login with anything unsafe in a path replaced."""
    slug = re.sub(r"[^\w.@+-]+", "-", login.strip(), flags=re.ASCII).strip("-.")
    return slug.lower() or "account"


@dataclass(frozen=True)
class DataHome:
    """One data directory, for one site (`site_key`, host[:port])."""

    root: Path
    site_key: str

    @property
    def session_file(self) -> Path:
        return self.root / SESSION_FILE

    @property
    def credentials_file(self) -> Path:
        return self.root / CREDENTIALS_FILE

    @property
    def rejected_file(self) -> Path:
        return self.root / REJECTED_FILE

    @property
    def locators_file(self) -> Path:
        """The user's additions to the built-in locators (automations/overrides.py)."""
        return self.root / LOCATORS_FILE

    @property
    def history_file(self) -> Path:
        return self.root / HISTORY_FILE

    def ensure(self) -> Path:
        """The directory itself, private; one clear error when it cannot be written."""
        return private_dir(self.root)

    def folder(self, name: str, *more: str) -> Path:
        """A folder under the directory (e.g. `receipts`), made private if it is new."""
        return private_dir(self.root.joinpath(name, *more))

    def stamped(self, folder: str, action: str, suffix: str) -> Path:
        """`<folder>/<UTC time>-<action><suffix>`: a new file's path; the folder is made."""
        return self.folder(folder) / f"{utc_stamp()}-{action}{suffix}"

    def baselines(self, site: str) -> Path:
        """`baselines/<site>/`: check's ARIA baseline for a site (the bundled mock's apart);
        made when a green run writes it (automations/baselines.py)."""
        name = re.sub(r"[^\w.-]+", "-", site, flags=re.ASCII).strip("-.").lower() or "site"
        return self.root / BASELINES / name

    def lock_file(self, login: str | None) -> Path:
        """`locks/<site>-<account>.lock`: one run at a time per account (automations/locks.py);
        a run without a login locks the directory's saved session (`<site>-session.lock`)."""
        site = re.sub(r"[^\w.-]+", "-", self.site_key, flags=re.ASCII).strip("-.").lower() or "site"
        return self.folder(LOCKS) / f"{site}-{account_slug(login) if login else 'session'}.lock"

    def elsewhere(self, name: str) -> DataHome:
        """A data directory of its own under this one (the demo's, `check --mock`'s)."""
        return DataHome(self.root / name, self.site_key)

    def account(self, login: str) -> DataHome:
        """A batch account's own data directory: its session and receipts."""
        return DataHome(self.root / ACCOUNTS / account_slug(login), self.site_key)
