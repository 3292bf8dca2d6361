"""A receipt's SHA-256 manifest, and `verify-receipt`'s check of it.

Beside `receipts/<stem>.json` (and `<stem>.png`), `write_receipt` writes `<stem>.sha256` in
`sha256sum`'s format, one line per file of the receipt, by bare name:

    3f5c…e1  20260101T090000Z-unbind-card.json
    9a0b…7d  20260101T090000Z-unbind-card.png

so that `cd receipts && sha256sum -c <stem>.sha256` checks it too. It shows that no file was
edited, removed or swapped after the run wrote it; it does not show who wrote it (anyone who
edits a file can write a new manifest), so hand the manifest, or its own SHA-256, to the bank
or to support when the receipt is made, and they can check the files whenever you send them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from automations.errors import ConfigurationError
from automations.i18n import _
from automations.storage import write_private

SUFFIX = ".sha256"
LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")
Verdict = Literal["ok", "changed", "missing", "unlisted"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(receipt: Path, files: list[Path]) -> Path:
    """`<stem>.sha256` beside the receipt's JSON, covering `files` (all in its folder)."""
    manifest = receipt.with_suffix(SUFFIX)
    lines = "".join(f"{sha256_of(path)}  {path.name}\n" for path in files)
    write_private(manifest, lines.encode())
    return manifest


def manifest_of(receipt: Path) -> Path:
    return receipt.with_suffix(SUFFIX)


@dataclass
class FileCheck:
    name: str
    verdict: Verdict

    def to_dict(self) -> dict[str, str]:
        return {"file": self.name, "verdict": self.verdict}


@dataclass
class Verification:
    manifest: Path
    files: list[FileCheck] = field(default_factory=list)
    problem: str | None = None  # a failure that is no single file's (the manifest is gone)

    @property
    def ok(self) -> bool:
        return self.problem is None and all(check.verdict == "ok" for check in self.files)

    def failure(self) -> str:
        """The one line that says why it does not verify."""
        if self.problem:
            return self.problem
        bad = [check for check in self.files if check.verdict != "ok"]
        return _("the receipt does not verify: {files}").format(
            files=", ".join(f"{check.name} {_verdict_words(check.verdict)}" for check in bad))

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "manifest": str(self.manifest), "files": [check.to_dict() for check in self.files],
                **({"error": self.failure()} if not self.ok else {})}


def _verdict_words(verdict: Verdict) -> str:
    return {"ok": _("ok"), "changed": _("changed since the receipt was written"),
            "missing": _("missing"), "unlisted": _("not in the manifest")}[verdict]


def verdict_line(check: FileCheck) -> str:
    return f"{check.name}: {_verdict_words(check.verdict)}"


def _not_a_receipt(path: Path) -> ConfigurationError:
    return ConfigurationError(_("{file} is not a receipt: give a receipt's .json or its .sha256 manifest").format(
        file=path))


def _read_manifest(manifest: Path) -> list[tuple[str, str]]:
    """(SHA-256, name) per line; a usage error when the file is no manifest at all."""
    try:
        text = manifest.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        raise _not_a_receipt(manifest) from None
    entries = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = LINE.match(line.strip())
        if match is None or "/" in match.group(2) or "\\" in match.group(2):
            raise _not_a_receipt(manifest)
        entries.append((match.group(1).lower(), match.group(2)))
    if not entries:
        raise _not_a_receipt(manifest)
    return entries


def _named_by(receipt: Path) -> list[str]:
    """The files the receipt's JSON names besides itself (its screenshot)."""
    try:
        document = json.loads(receipt.read_text("utf-8"))
    except (OSError, ValueError):
        return []
    shot = document.get("screenshot") if isinstance(document, dict) else None
    return [shot] if isinstance(shot, str) else []


def verify_receipt(path: Path) -> Verification:
    """Checks the receipt's files against its manifest. `path`: the receipt's .json or its
    .sha256. A path that is no receipt raises ConfigurationError (exit 2); a receipt that
    does not verify is a Verification whose `ok` is false."""
    if not path.is_file():
        raise ConfigurationError(_("{file} does not exist").format(file=path))
    if path.suffix == ".json":
        try:
            document = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            document = None
        # A receipt edited into bad JSON is still a receipt, when its manifest is beside it.
        if not manifest_of(path).is_file() and not (isinstance(document, dict) and "action" in document):
            raise _not_a_receipt(path)
    elif path.suffix != SUFFIX:
        raise _not_a_receipt(path)
    manifest = manifest_of(path)
    if not manifest.is_file():
        return Verification(manifest, problem=_("the receipt has no SHA-256 manifest: {manifest} is missing").format(
            manifest=manifest))
    listed = _read_manifest(manifest)
    result = Verification(manifest)
    for digest, name in listed:
        file = manifest.with_name(name)
        if not file.is_file():
            result.files.append(FileCheck(name, "missing"))
        else:
            result.files.append(FileCheck(name, "ok" if sha256_of(file) == digest else "changed"))
    names = {name for _digest, name in listed}
    receipt = manifest.with_suffix(".json")
    for name in [receipt.name, *_named_by(receipt)]:
        if name not in names:
            result.files.append(FileCheck(name, "unlisted"))
    return result
