"""Private files under the data directory: the directory 0700, files 0600, written atomically
so that a crash never leaves half a credentials or session file behind."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from automations.errors import ConfigurationError
from automations.i18n import _

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Creates `path` (0700) if needed; one clear error if it cannot be written."""
    try:
        if not path.parent.exists():
            # Every folder this creates is private, not just the last one.
            private_dir(path.parent)
        path.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(path, DIR_MODE)
    except OSError as error:
        raise ConfigurationError(
            _("data directory {path} is not writable ({error}): set OKKO_DATA_DIR or --data-dir to a writable "
              "folder").format(path=path, error=error.strerror)
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigurationError(
            _("data directory {path} is not writable: set OKKO_DATA_DIR or --data-dir to a writable folder").format(
                path=path)
        )
    return path


def too_open(path: Path) -> bool:
    """True when group or others may read a private file (a warning is due)."""
    try:
        return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    except FileNotFoundError:
        return False


def write_private(path: Path, data: bytes) -> None:
    private_dir(path.parent)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_private_json(path: Path, document: Any) -> None:
    write_private(path, json.dumps(document, ensure_ascii=False, indent=2).encode())


def read_json(path: Path, what: str) -> Any:
    """The document, None when the file does not exist, or a ConfigurationError saying how
    to recover when it is corrupt. `what` names the file in the run's language."""
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise ConfigurationError(_("{what} {path} is unreadable ({error}): delete it and run `okko-cancel login` "
                                   "again").format(what=what, path=path, error=error.__class__.__name__)) from None
