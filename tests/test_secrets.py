"""The password never leaks: the commands, run with -v and --trace, leave it nowhere —
not in stdout or stderr, receipts, the session file, JUnit or HTML reports, or inside
the traces once unzipped. (It lives only in the keyring, which is its place.)"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.keyrings import MemoryKeyring
from tests.helpers import cli_env, run

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

SENTINEL = DEMO_PASSWORD.encode()
# `cancel` runs the three changing flows; `check` writes both reports and traces.
COMMANDS = [
    ["login"],
    ["status"],
    ["cancel", "--yes"],
    # Reads the cancel's receipt and the account: its own receipt (no finding, no pack).
    ["watch"],
    ["check", "--junit", "{tmp}/check.xml", "--report", "{tmp}/report"],
    # A zip of snapshots and screenshots for a bug report: unzipped below like the traces.
    ["capture", "--output", "{tmp}/pages.zip"],
    ["logout"],
]


def everything_written(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        yield str(path), data
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{path}!{member}", archive.read(member)


def test_password_appears_in_no_output_file_report_or_trace(
    site: AdminClient, mock_site: MockSite, tmp_path: Path, memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    outputs = []
    for command in COMMANDS:
        args = [part.format(tmp=tmp_path) for part in command] + ["-v", "--trace"]
        env = cli_env(data, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
        result = run(args, env)
        assert result.exit_code == 0, (command, result.output)
        outputs.append((" ".join(command), result.stdout.encode() + result.stderr.encode()))

    written = list(everything_written(tmp_path))
    assert any(name.endswith(".zip") for name, _ in written), "no trace was written"
    assert any("receipts" in name for name, _ in written)
    leaks = [name for name, content in outputs + written if SENTINEL in content]
    assert leaks == []
