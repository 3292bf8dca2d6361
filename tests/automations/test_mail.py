"""The deletion letter (automations/mail.py) without a browser: its content, the saved `.eml`,
and sending it to a real SMTP server on loopback (aiosmtpd, tests/smtp_server.py) with
STARTTLS, certificate verification against a test CA given by OKKO_SMTP_CA_FILE, and AUTH.

Covered: the letter in Russian to mail@okko.tv with the account's e-mail and phone, a Sber
ID only when given, and the reason; the .eml private and parsing back to the same letter;
a send that goes encrypted and logged in; a wrong SMTP password (exit 2, nothing sent, the
password in no message); an untrusted certificate refused before any login (verification is
never switched off); STARTTLS turned off with a password set refused before connecting
in the clear; an unreachable server (exit 4); the new settings' defaults.
"""

from __future__ import annotations

import os
import stat
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path

import pytest
from pydantic import SecretStr

from automations.errors import ConfigurationError, SiteUnreachable
from automations.settings import Settings, load_settings
from automations.mail import (
    DELETION_ADDRESS,
    SUBJECT,
    compose_letter,
    save_letter,
    send_letter,
    smtp_summary,
)
from tests.smtp_server import (
    SMTP_PASSWORD,
    SMTP_USER,
    SmtpServer,
    free_port,
    smtp_server,
)

EMAIL, PHONE = "demo@okko.test", "+7 999 123-45-67"


@pytest.fixture
def server(tmp_path: Path) -> SmtpServer:
    with smtp_server(tmp_path) as running:
        yield running  # type: ignore[misc]


def text(message: Message) -> str:
    """A received or saved letter's text (its lines end in CRLF, as on the wire)."""
    content: str = message.get_content()  # type: ignore[attr-defined]
    return content.replace("\r\n", "\n")


def settings_for(server: SmtpServer, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path / "data", "smtp_host": server.host, "smtp_port": server.port, "smtp_user": SMTP_USER,
        "smtp_password": SecretStr(SMTP_PASSWORD), "smtp_ca_file": server.ca_file, "smtp_starttls": True,
        "timeout_s": 10,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the letter


def test_letter_is_in_russian_to_okko_with_the_account_sber_id_and_reason() -> None:
    message = compose_letter(email=EMAIL, phone=PHONE, sber_id="+7 999 000-11-22", reason="Переезжаю за границу.")

    assert (message["To"], message["From"], message["Subject"]) == (DELETION_ADDRESS, EMAIL, SUBJECT)
    assert DELETION_ADDRESS == "mail@okko.tv" and SUBJECT == "Удаление аккаунта"
    body = message.get_content()
    assert body.startswith("Здравствуйте!")
    assert "Прошу удалить мой аккаунт Okko" in body
    assert f"Электронная почта аккаунта: {EMAIL}\n" in body
    assert f"Телефон: {PHONE}\n" in body
    assert "Сбер ID: +7 999 000-11-22\n" in body
    assert "Причина: Переезжаю за границу.\n" in body
    assert message["Message-ID"] and message["Date"]


def test_letter_without_a_sber_id_has_no_such_line_and_a_default_reason() -> None:
    body = compose_letter(email=EMAIL, phone=PHONE, reason="").get_content()

    assert "Сбер ID" not in body
    assert "Причина: Больше не пользуюсь сервисом." in body


def test_letter_from_another_sender_still_names_the_account() -> None:
    message = compose_letter(email=EMAIL, phone=PHONE, sender="me@example.test")

    assert message["From"] == "me@example.test"
    assert f"Электронная почта аккаунта: {EMAIL}" in message.get_content()


def test_saved_eml_is_private_and_parses_back(tmp_path: Path) -> None:
    message = compose_letter(email=EMAIL, phone=PHONE, sber_id="sber-id-42")
    path = save_letter(message, tmp_path / "letters" / "request.eml")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    raw = path.read_bytes()
    assert raw.isascii() and b"\r\n" in raw  # 7-bit clean, CRLF as on the wire
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == SUBJECT and parsed["To"] == DELETION_ADDRESS
    assert text(parsed) == message.get_content()


# ------------------------------------------------------------------------------ sending


def test_sends_over_starttls_with_login(server: SmtpServer, tmp_path: Path) -> None:
    message = compose_letter(email=EMAIL, phone=PHONE, sber_id="sber-id-42")

    send_letter(message, settings_for(server, tmp_path))

    [got] = server.received
    assert got.tls and got.login == SMTP_USER
    assert got.recipients == [DELETION_ADDRESS] and got.envelope_from == EMAIL
    assert got.message["Subject"] == SUBJECT
    assert text(got.message) == message.get_content()
    assert server.logins == [(SMTP_USER, True)]
    assert SMTP_PASSWORD.encode() not in got.raw


def test_wrong_password_is_a_configuration_error_and_sends_nothing(server: SmtpServer, tmp_path: Path) -> None:
    settings = settings_for(server, tmp_path, smtp_password=SecretStr("wrong-SENTINEL"))

    with pytest.raises(ConfigurationError) as raised:
        send_letter(compose_letter(email=EMAIL, phone=PHONE), settings)

    assert raised.value.exit_code == 2
    assert "rejected the login" in str(raised.value) and "SENTINEL" not in str(raised.value)
    assert server.received == [] and server.logins == [(SMTP_USER, False)]


def test_an_untrusted_certificate_is_refused_before_any_login(server: SmtpServer, tmp_path: Path) -> None:
    # No OKKO_SMTP_CA_FILE: the system's CAs do not know the test CA.
    settings = settings_for(server, tmp_path, smtp_ca_file=None)

    with pytest.raises(ConfigurationError) as raised:
        send_letter(compose_letter(email=EMAIL, phone=PHONE), settings)

    assert "TLS" in str(raised.value) and "OKKO_SMTP_CA_FILE" in str(raised.value)
    assert server.logins == [] and server.received == []


def test_no_password_over_a_plain_connection(server: SmtpServer, tmp_path: Path) -> None:
    settings = settings_for(server, tmp_path, smtp_starttls=False)

    with pytest.raises(ConfigurationError) as raised:
        send_letter(compose_letter(email=EMAIL, phone=PHONE), settings)

    assert "unencrypted" in str(raised.value)
    assert server.logins == [] and server.received == []


def test_unreachable_server_exits_4(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=free_port(), timeout_s=5)

    with pytest.raises(SiteUnreachable) as raised:
        send_letter(compose_letter(email=EMAIL, phone=PHONE), settings)

    assert raised.value.exit_code == 4 and "could not be reached" in str(raised.value)


# ----------------------------------------------------------------------------- settings


def test_settings_defaults_and_the_smtp_password_stays_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper().startswith("OKKO_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OKKO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OKKO_SMTP_HOST", "smtp.example.test")
    monkeypatch.setenv("OKKO_SMTP_USER", SMTP_USER)
    monkeypatch.setenv("OKKO_SMTP_PASSWORD", SMTP_PASSWORD)

    settings = load_settings()

    assert (settings.refund_window_days, settings.smtp_port, settings.smtp_starttls) == (3, 587, True)
    assert settings.smtp_from is None and settings.smtp_ca_file is None
    assert SMTP_PASSWORD not in repr(settings) + str(settings) + str(smtp_summary(settings))
    monkeypatch.setenv("OKKO_REFUND_WINDOW_DAYS", "40")
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    assert "refund_window_days" in str(raised.value) and "40" not in str(raised.value)
