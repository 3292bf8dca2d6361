"""Settings, from (highest first) command-line options, the environment (``OKKO_*``), a
``.env`` file in the working directory, and ``config.toml`` in the data directory.

    settings = load_settings(base_url="http://127.0.0.1:8800", headless=False)
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from platformdirs import user_data_path
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from automations import APP_NAME
from automations.errors import ConfigurationError
from automations.home import CONFIG_FILE, DataHome
from automations.i18n import Lang

DEFAULT_BASE_URL = "https://okko.tv"
# The command-line option of each setting that has one, for errors that say what to fix.
OPTIONS = {
    "base_url": "--base-url", "data_dir": "--data-dir", "headless": "--headed", "slow_mo_ms": "--slow-mo",
    "timeout_s": "--timeout", "trace": "--trace", "browser_path": "--browser-path", "connect": "--connect",
    "code_command": "--code-command", "refund_window_days": "--window-days", "lang": "--lang",
    "locators": "--locators", "notify_urls": "--notify", "code_imap": "--code-from-imap",
}
# Plain IMAP sends the app password in the clear: only to a server on this machine (tests, a bridge).
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
# OKKO_NOTIFY_URLS holds several Apprise URLs, as Apprise itself reads them: apart by commas or spaces.
URL_SEPARATORS = re.compile(r"[\s,]+")


def default_data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


class Settings(BaseSettings):
    """Everything a run needs to know; see the README's Settings table."""

    model_config = SettingsConfigDict(
        env_prefix="OKKO_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

    base_url: str = Field(DEFAULT_BASE_URL, description="The site: https://okko.tv, or the mock's URL.")
    login: str | None = Field(None, description="E-mail or phone of the OKKO account.")
    password: SecretStr | None = Field(None, description="The account's password (a secret).")
    data_dir: Path = Field(default_factory=default_data_dir, description="Credentials, session and receipts.")
    browser_path: Path | None = Field(None, description="A Chromium/Chrome executable to use.")
    connect: str | None = Field(None, description="ws:// URL of a remote Playwright browser server.")
    headless: bool = Field(True, description="Run the browser without a window.")
    timeout_s: float = Field(30.0, gt=0, le=600, description="How long to wait for the site at each step.")
    slow_mo_ms: int = Field(0, ge=0, le=10_000, description="Slow every browser action down, to watch it.")
    trace: bool = Field(False, description="Record a Playwright trace of the steps after login.")
    code_command: str | None = Field(None, description="A command that prints the e-mailed login code.")
    code_imap: str | None = Field(None, description="imaps://user@host[:port]: the mailbox the login code is read "
                                  "from (the newest letter from OKKO after the code was asked for).")
    code_imap_password: SecretStr | None = Field(None, description="The mailbox's (app) password (a secret).")
    session: SecretStr | None = Field(None, description="A saved session from `okko-cancel session export` (a CI "
                                      "secret), imported into the data directory before the browser starts.")
    locators: Path | None = Field(None, description="A locators.toml that adds to the built-in locators or "
                                  "replaces them (default: locators.toml in the data directory).")
    lang: Lang | None = Field(None, description="The output's language: ru or en (default: Russian unless the "
                              "locale says otherwise).")
    person_wait_s: float = Field(300.0, gt=0, le=3600, description="With a window (--headed): how long to wait "
                                 "for a person to finish what a script cannot (Сбер ID, a CAPTCHA, a code).")
    refund_window_days: int = Field(3, ge=0, le=31, description="refund-check: how many days after the paid period "
                                    "begins it still counts as just begun (a refund is due).")
    # NoDecode: the environment's value is a list of words, not the JSON pydantic-settings would expect.
    notify_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="check: Apprise URLs to alert when the flows keep failing, and when they "
        "pass again (OKKO_NOTIFY_URLS: apart by commas or spaces).")
    smtp_host: str | None = Field(None, description="deletion-request: the mail server that sends the letter.")
    smtp_port: int = Field(587, ge=1, le=65535, description="deletion-request: the mail server's port.")
    smtp_user: str | None = Field(None, description="deletion-request: the mail server login.")
    smtp_password: SecretStr | None = Field(None, description="deletion-request: the mail server password (a secret).")
    smtp_from: str | None = Field(None, description="deletion-request: the sender (default: the account's e-mail).")
    smtp_starttls: bool = Field(True, description="deletion-request: upgrade the connection with STARTTLS.")
    smtp_ca_file: Path | None = Field(None, description="deletion-request: CA certificates to trust for the mail "
                                      "server instead of the system's (a private server, tests).")

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL such as https://okko.tv")
        return value.strip().rstrip("/")

    @field_validator("data_dir", "browser_path", "smtp_ca_file", "locators")
    @classmethod
    def _expand_user(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @field_validator("notify_urls", mode="before")
    @classmethod
    def _url_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [url for url in URL_SEPARATORS.split(value) if url]
        return value

    @field_validator("session", "code_imap_password", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        # A CI secret that is not set arrives as an empty variable.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("code_imap")
    @classmethod
    def _imap_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            parts = urlsplit(value.strip())
            parts.port  # noqa: B018 - a port that is not a number raises here
        except ValueError:
            raise ValueError("must be an imaps://user@host[:port] URL") from None
        if parts.scheme not in ("imaps", "imap") or not parts.hostname or not parts.username:
            raise ValueError("must be an imaps://user@host[:port] URL, with the mailbox's user")
        if parts.password is not None:
            raise ValueError("must not hold the password: put it in OKKO_CODE_IMAP_PASSWORD")
        if parts.scheme == "imap" and parts.hostname.lower() not in LOOPBACK_HOSTS:
            raise ValueError("imap:// sends the password unencrypted: use imaps:// (imap:// only on this machine)")
        return value.strip()

    @field_validator("connect")
    @classmethod
    def _ws_url(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in ("ws", "wss"):
            raise ValueError("must be a ws:// or wss:// URL of a Playwright browser server")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The config file lives in the data directory, which may itself come from an option
        # or the environment: find it the way the setting itself would be found.
        init_kwargs = init_settings.init_kwargs if isinstance(init_settings, InitSettingsSource) else {}
        data_dir = (
            init_kwargs.get("data_dir")
            or os.environ.get("OKKO_DATA_DIR")
            or dotenv_settings().get("data_dir")  # OKKO_DATA_DIR in .env
            or default_data_dir()
        )
        config_file = Path(data_dir).expanduser() / CONFIG_FILE
        return (
            init_settings,
            env_settings,
            dotenv_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_file),
        )

    @property
    def site_key(self) -> str:
        """Which site the saved credentials and session belong to: host[:port]."""
        return urlsplit(self.base_url).netloc.lower()

    @property
    def has_code_source(self) -> bool:
        """Whether the login code is read without a person: a code command, or the mailbox."""
        return bool(self.code_command or self.code_imap)

    @property
    def home(self) -> DataHome:
        """The data directory's layout, for this site."""
        return DataHome(self.data_dir, self.site_key)


def load_settings(**options: Any) -> Settings:
    """Settings with the given command-line options on top; options left as None are unset.

    A bad value becomes one ConfigurationError line that names the setting but never
    echoes the value (it may be a password)."""
    given = {key: value for key, value in options.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False, include_context=False)[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        option = OPTIONS.get(field)
        where = f"OKKO_{field.upper()} or {option}" if option else f"OKKO_{field.upper()}"
        raise ConfigurationError(f"bad setting {field} ({where}): {message}") from None
    except (OSError, ValueError) as error:
        # A config.toml that does not parse.
        raise ConfigurationError(f"cannot read the config file: {error}") from None
