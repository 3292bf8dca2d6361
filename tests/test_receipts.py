"""Receipts that hold up (issue 16): a change's receipt keeps the site's answer to each change
request, masked; a SHA-256 manifest covers its files; `verify-receipt` checks it.

One module fixture runs the two browser commands on the mock's `multi` account (two cards):
`unbind-card --card 4242 --yes`, whose answer lists the card still bound (Мир •••• 0077),
then the same for 0077 with --dry-run. The rest reads their files.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.helpers import cli_env, error_line, run
from tests.keyrings import MemoryKeyring

pytestmark = pytest.mark.slow

UNBIND_PATH = re.compile(r"^/api/v1/cards/card_[0-9a-f]{8}/unbind$")


@dataclass
class Receipts:
    done: Path
    dry_run: Path


@pytest.fixture(scope="module")
def receipts(mock_site: MockSite, tmp_path_factory: pytest.TempPathFactory) -> Receipts:
    admin = AdminClient(mock_site.url)
    admin.reset("multi")
    data_dir = tmp_path_factory.mktemp("receipts") / "data"
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(data_dir.parent)  # no .env of the developer's
            env = cli_env(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
            done = run(["unbind-card", "--card", "4242", "--yes", "--json"], env)
            dry = run(["unbind-card", "--card", "0077", "--dry-run", "--json"], env)
    finally:
        keyring.set_keyring(previous)
    assert done.exit_code == 0 and dry.exit_code == 0, done.output + dry.output
    assert [card["label"] for card in admin.account()["cards"]] == ["Мир •••• 0077"]
    return Receipts(Path(json.loads(done.stdout)["receipt"]), Path(json.loads(dry.stdout)["receipt"]))


def test_receipt_keeps_the_sites_masked_answer_and_verifies(receipts: Receipts) -> None:
    document = json.loads(receipts.done.read_text())

    [answer] = document["site_answers"]
    assert (answer["method"], answer["status"]) == ("POST", 200)
    assert UNBIND_PATH.match(answer["path"]), answer["path"]
    assert answer["body"]["ok"] is True and answer["body"]["cards"][0]["label"] == "Мир •••• <card>"
    # No personal data of the scenario, nor a secret; card ids are the site's, and random.
    text = re.sub(r"card_[0-9a-f]{8}", "card_ID", json.dumps(answer, ensure_ascii=False))
    for personal in ("0077", "4242", "demo@okko.test", "+7 999", "123-45-67", DEMO_PASSWORD):
        assert personal not in text, personal

    result = run(["verify-receipt", str(receipts.done)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{receipts.done.name}: ok", f"{receipts.done.with_suffix('.png').name}: ok"]
    # The manifest is sha256sum's own format.
    checked = subprocess.run(["sha256sum", "-c", receipts.done.with_suffix(".sha256").name], cwd=receipts.done.parent,
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_dry_run_receipt_has_no_answers_and_says_so(receipts: Receipts) -> None:
    document = json.loads(receipts.dry_run.read_text())

    assert document["dry_run"] is True
    assert document["site_answers"] == []
    assert document["site_answers_note"] == "dry run: nothing was sent to the site"
    assert run(["verify-receipt", str(receipts.dry_run.with_suffix(".sha256"))]).exit_code == 0


@pytest.mark.parametrize("tamper", ["one byte of the JSON", "the PNG removed"])
def test_tampered_receipt_fails_verification_naming_the_file(receipts: Receipts, tmp_path: Path, tamper: str) -> None:
    for source in receipts.done.parent.glob(receipts.done.stem + ".*"):
        shutil.copy(source, tmp_path / source.name)
    receipt = tmp_path / receipts.done.name
    if tamper == "the PNG removed":
        victim = receipt.with_suffix(".png")
        victim.unlink()
    else:
        victim = receipt
        data = receipt.read_bytes()
        receipt.write_bytes(data.replace(b'"status": 200', b'"status": 500', 1))  # one byte: the site's 200 made a 500

    result = run(["verify-receipt", str(receipt)])
    assert result.exit_code == 1, result.output
    assert victim.name in error_line(result)
    assert "Traceback" not in result.output

    as_json = run(["verify-receipt", str(receipt), "--json"])
    document = json.loads(as_json.stdout)  # one document, no other
    assert as_json.exit_code == 1 and (document["ok"], document["exit_code"]) == (False, 1)
    assert {"file": victim.name, "verdict": "missing" if victim.suffix == ".png" else "changed"} in document["files"]


def test_a_file_that_is_no_receipt_is_a_usage_error(receipts: Receipts, tmp_path: Path) -> None:
    for path in (tmp_path / "nowhere.json", receipts.done.with_suffix(".png")):
        result = run(["verify-receipt", str(path)])
        assert result.exit_code == 2, result.output
        assert str(path) in error_line(result) and "Traceback" not in result.output
