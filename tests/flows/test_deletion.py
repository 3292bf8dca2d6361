"""The `deletion-request` flow (flows/deletion.py) against the mock site in a real browser:
the letter takes the account's e-mail and phone from «Профиль», is saved as a private
`.eml`, and a receipt (JSON + PNG) records it; what still bills is named first. Sending
itself is covered in tests/automations/test_mail.py and, end to end, tests/test_cli_routes.py.

- `default`, no SMTP: saved, not sent, with a note to send it oneself and one that
  «Оптимум» still renews; the site is not changed.
- `stores`, SMTP set but a dry run: nothing reaches the server; the store-billed ones point
  to their guides; a sender other than the account's e-mail is flagged.
"""

from __future__ import annotations

import json
import stat
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pydantic import SecretStr

from automations.pages import SettingsSection
from automations.settings import Settings
from automations.steps import StepLog
from fixtures import AdminClient
from flows.deletion import request_deletion
from flows.registry import COMMANDS
from tests.smtp_server import SMTP_PASSWORD, SMTP_USER, smtp_server


@pytest.fixture
def start_on() -> type[SettingsSection]:
    """Runs of this flow open the settings at its first section: so do its tests."""
    return COMMANDS["deletion-request"].section()


def test_composes_the_letter_from_the_profile_and_keeps_it(
    site: AdminClient, settings_page: Page, steps: StepLog, tmp_path: Path
) -> None:
    events_before = site.events()
    settings = Settings(base_url=site.base_url, data_dir=tmp_path / "data")

    report = request_deletion(settings_page, steps, settings=settings, sber_id="+7 999 000-11-22",
                              reason="Смотрю в другом сервисе.")

    account = site.account()
    assert report.account == {"email": account["email"], "phone": account["phone"]}
    assert (report.sent, report.smtp, report.to, report.sender) == (False, None, "mail@okko.tv", account["email"])
    eml = Path(report.eml)
    assert eml.parent == tmp_path / "data" / "letters" and stat.S_IMODE(eml.stat().st_mode) == 0o600
    letter = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert (letter["To"], letter["From"], letter["Subject"]) == ("mail@okko.tv", account["email"], "Удаление аккаунта")
    body = letter.get_content().replace("\r\n", "\n")  # type: ignore[attr-defined]
    assert body == report.body
    for line in (f"Электронная почта аккаунта: {account['email']}", f"Телефон: {account['phone']}",
                 "Сбер ID: +7 999 000-11-22", "Причина: Смотрю в другом сервисе."):
        assert line in body
    assert any("«Оптимум» still renews" in note and "okko-cancel cancel" in note for note in report.notes)
    assert any("no OKKO_SMTP_HOST" in note and str(eml) in note for note in report.notes)
    assert [r.name for r in steps.records] == ["Open «Подписки»", "Open «Основные»"]
    assert site.events() == events_before

    assert report.receipt is not None
    receipt = Path(report.receipt)
    document = json.loads(receipt.read_text())
    assert (document["action"], document["sent"], document["eml"]) == ("deletion-request", False, str(eml))
    assert "within two days" in document["deleted_within"]
    assert receipt.with_suffix(".png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.scenario("stores")
def test_dry_run_sends_nothing_and_names_what_still_bills(
    site: AdminClient, settings_page: Page, steps: StepLog, tmp_path: Path
) -> None:
    with smtp_server(tmp_path) as server:
        settings = Settings(base_url=site.base_url, data_dir=tmp_path / "data", smtp_host=server.host,
                            smtp_port=server.port, smtp_user=SMTP_USER, smtp_password=SecretStr(SMTP_PASSWORD),
                            smtp_ca_file=server.ca_file, smtp_from="me@example.test")

        report = request_deletion(settings_page, steps, settings=settings, send=False,
                                  eml_path=tmp_path / "request.eml")

        assert server.received == [] and server.logins == []
    assert (report.sent, report.sender, report.eml) == (False, "me@example.test", str(tmp_path / "request.eml"))
    assert report.smtp == {"host": server.host, "port": server.port, "user": SMTP_USER, "starttls": True}
    notes = "\n".join(report.notes)
    assert "see `okko-cancel guide android`" in notes and "see `okko-cancel guide sberbank`" in notes
    assert "dry run" in notes and "not the account's demo@okko.test" in notes
    assert SMTP_PASSWORD not in json.dumps(report.to_dict()) + Path(report.receipt or "").read_text()
