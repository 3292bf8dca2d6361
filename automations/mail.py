"""The deletion letter to mail@okko.tv: composed in Russian, saved as an `.eml` file (0600),
and sent over SMTP (STARTTLS, then one login: a password never goes over a plain
connection). Secrets (the SMTP and account passwords) never enter the letter."""

from __future__ import annotations

import smtplib
import ssl
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from automations.errors import ConfigurationError, SiteUnreachable
from automations.i18n import N_, _
from automations.settings import Settings
from automations.storage import write_private

DELETION_ADDRESS = "mail@okko.tv"
SUBJECT = "Удаление аккаунта"
DEFAULT_REASON = "Больше не пользуюсь сервисом."
# Said to the person (`_(WITHIN)` where it is said); the letter itself stays Russian.
WITHIN = N_("OKKO deletes the account within two days of the letter being read")
# .eml files and the wire both use CRLF line ends.
EML_POLICY = policy.SMTP


def letter_text(*, email: str, phone: str, sber_id: str | None, reason: str) -> str:
    lines = [
        "Здравствуйте!",
        "",
        "Прошу удалить мой аккаунт Okko и связанные с ним персональные данные.",
        "",
        f"Электронная почта аккаунта: {email}",
        f"Телефон: {phone or 'не указан'}",
    ]
    if sber_id:
        lines.append(f"Сбер ID: {sber_id}")
    lines += [
        f"Причина: {reason.strip() or DEFAULT_REASON}",
        "",
        "Прошу подтвердить удаление ответным письмом.",
        "",
        "С уважением,",
        email,
        "",
    ]
    return "\n".join(lines)


def compose_letter(*, email: str, phone: str, sber_id: str | None = None, reason: str = DEFAULT_REASON,
                   sender: str | None = None, now: datetime | None = None) -> EmailMessage:
    """The deletion request to mail@okko.tv, from `sender` (default: the account's e-mail)."""
    if not email:
        raise ConfigurationError(_("the site showed no e-mail for the account: the deletion letter needs one"))
    message = EmailMessage(policy=policy.default)
    message["From"] = sender or email
    message["To"] = DELETION_ADDRESS
    message["Subject"] = SUBJECT
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=(sender or email).rpartition("@")[2] or None)
    # Quoted-printable: 7-bit clean, so any server takes it and any mail program opens the file.
    message.set_content(letter_text(email=email, phone=phone, sber_id=sber_id, reason=reason),
                        charset="utf-8", cte="quoted-printable")
    return message


def save_letter(message: EmailMessage, path: Path) -> Path:
    write_private(path, message.as_bytes(policy=EML_POLICY))
    return path


def smtp_summary(settings: Settings) -> dict[str, Any] | None:
    """The SMTP settings as they may be recorded: never the password."""
    if not settings.smtp_host:
        return None
    return {"host": settings.smtp_host, "port": settings.smtp_port, "user": settings.smtp_user,
            "starttls": settings.smtp_starttls}


def _tls_context(settings: Settings) -> ssl.SSLContext:
    if settings.smtp_ca_file is not None and not settings.smtp_ca_file.is_file():
        raise ConfigurationError(_("OKKO_SMTP_CA_FILE {file} is not a file").format(file=settings.smtp_ca_file))
    cafile = str(settings.smtp_ca_file) if settings.smtp_ca_file else None
    return ssl.create_default_context(cafile=cafile)


def _login_once(smtp: smtplib.SMTP, user: str, password: str, where: str) -> None:
    """One AUTH attempt (PLAIN, else LOGIN): smtplib's `login` would try every mechanism the
    server offers, each a failed login on the account when the password is wrong."""
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    mechanism = next((m for m in ("PLAIN", "LOGIN") if m in offered), None)
    if mechanism is None:
        raise ConfigurationError(_("the mail server {server} offers no PLAIN or LOGIN sign-in; the letter was not "
                                   "sent").format(server=where))
    smtp.user, smtp.password = user, password
    try:
        smtp.auth(mechanism, smtp.auth_plain if mechanism == "PLAIN" else smtp.auth_login)
    finally:
        smtp.password = ""


def send_letter(message: EmailMessage, settings: Settings) -> None:
    """Sends over SMTP: STARTTLS (verifying the server's certificate) unless turned off, then
    one login attempt when a user is set. Refuses to send a password over an unencrypted
    connection."""
    host, port = settings.smtp_host, settings.smtp_port
    if not host:
        raise ConfigurationError(_("no mail server: set OKKO_SMTP_HOST (and OKKO_SMTP_USER, OKKO_SMTP_PASSWORD)"))
    if settings.smtp_user and settings.smtp_password is None:
        raise ConfigurationError(_("OKKO_SMTP_USER is set without OKKO_SMTP_PASSWORD"))
    if settings.smtp_user and not settings.smtp_starttls:
        raise ConfigurationError(
            _("OKKO_SMTP_STARTTLS is off: the mail password would go unencrypted, so the letter was not sent")
        )
    where = f"{host}:{port}"
    try:
        with smtplib.SMTP(host, port, timeout=settings.timeout_s) as smtp:
            smtp.ehlo()
            if settings.smtp_starttls:
                if not smtp.has_extn("starttls"):
                    raise ConfigurationError(_("the mail server {server} does not offer STARTTLS; the letter was not "
                                               "sent").format(server=where))
                smtp.starttls(context=_tls_context(settings))
                smtp.ehlo()
            if settings.smtp_user and settings.smtp_password is not None:
                _login_once(smtp, settings.smtp_user, settings.smtp_password.get_secret_value(), where)
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise ConfigurationError(_("the mail server {server} rejected the login of OKKO_SMTP_USER ({code})").format(
            server=where, code=error.smtp_code)) from None
    except ssl.SSLError as error:
        raise ConfigurationError(
            _("the mail server {server} failed the TLS check ({error}); set OKKO_SMTP_CA_FILE for a private "
              "server").format(server=where, error=error.reason or error)
        ) from None
    except smtplib.SMTPResponseException as error:
        reply = (error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes)
                 else str(error.smtp_error))
        raise SiteUnreachable(_("the mail server {server} refused the letter: {code} {reply}").format(
            server=where, code=error.smtp_code, reply=reply)) from None
    except smtplib.SMTPRecipientsRefused:
        raise SiteUnreachable(_("the mail server {server} refused the recipient {address}").format(
            server=where, address=DELETION_ADDRESS)) from None
    except (smtplib.SMTPException, OSError) as error:
        raise SiteUnreachable(_("the mail server {server} could not be reached: {error}").format(
            server=where, error=error)) from None
    if refused:
        raise SiteUnreachable(_("the mail server {server} refused the recipient {address}").format(
            server=where, address=DELETION_ADDRESS))
