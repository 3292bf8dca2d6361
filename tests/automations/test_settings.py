"""Settings (automations/settings.py): where each value comes from and what a bad one says.

Covers the contract's precedence (command-line option > environment > `.env` in the working
directory > `config.toml` in the data directory), the defaults, the config file following
the data directory wherever that is set, one-line ConfigurationErrors for bad values, and
that a password never shows up in an error message or a repr. Pure unit tests on real
files in tmp_path; no browser.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from platformdirs import user_data_path
from pydantic import SecretStr

from automations.errors import ConfigurationError
from automations.settings import DEFAULT_BASE_URL, OPTIONS, Settings, load_settings

SENTINEL = "s3cret-SENTINEL-pw"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No OKKO_* variables from the host, no .env in the working directory, and the
    platform's data directory inside tmp_path (so a real config.toml is never read)."""
    for name in list(os.environ):
        if name.upper().startswith("OKKO_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    return workdir


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    monkeypatch.setenv("OKKO_DATA_DIR", str(directory))
    return directory


def write_config(directory: Path, **values: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "config.toml").write_text("".join(f'{key} = "{value}"\n' for key, value in values.items()))


def write_dotenv(workdir: Path, **values: str) -> None:
    (workdir / ".env").write_text("".join(f"OKKO_{key.upper()}={value}\n" for key, value in values.items()))


def test_defaults() -> None:
    settings = load_settings()

    assert settings.base_url == DEFAULT_BASE_URL == "https://okko.tv"
    assert settings.headless is True
    assert settings.login is None and settings.password is None
    assert settings.data_dir == user_data_path("okko-cancel", appauthor=False)
    assert settings.data_dir.name == "okko-cancel"


@pytest.mark.parametrize(
    ("layers", "winner"),
    [
        (("option", "env", "dotenv", "config"), "option"),
        (("env", "dotenv", "config"), "env"),
        (("dotenv", "config"), "dotenv"),
        (("config",), "config"),
        (("option", "config"), "option"),
        ((), "default"),
    ],
)
def test_precedence_option_env_dotenv_config(
    layers: tuple[str, ...], winner: str, isolated: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options: dict[str, object] = {}
    if "option" in layers:
        options["base_url"] = "http://option.test"
    if "env" in layers:
        monkeypatch.setenv("OKKO_BASE_URL", "http://env.test")
    if "dotenv" in layers:
        write_dotenv(isolated, base_url="http://dotenv.test")
    if "config" in layers:
        write_config(data_dir, base_url="http://config.test")

    settings = load_settings(**options)

    assert settings.base_url == (DEFAULT_BASE_URL if winner == "default" else f"http://{winner}.test")


def test_layers_merge_per_setting(isolated: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(data_dir, base_url="http://config.test", login="config@okko.test", timeout_s="12")
    write_dotenv(isolated, login="dotenv@okko.test")
    monkeypatch.setenv("OKKO_TIMEOUT_S", "7")

    settings = load_settings(headless=False)

    assert (settings.base_url, settings.login, settings.timeout_s, settings.headless) == (
        "http://config.test", "dotenv@okko.test", 7.0, False,
    )


def test_options_left_as_none_do_not_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKKO_BASE_URL", "http://env.test")

    assert load_settings(base_url=None, headless=None).base_url == "http://env.test"


@pytest.mark.parametrize("where", ["option", "env", "dotenv"])
def test_config_file_is_read_from_the_data_dir_wherever_it_is_set(
    where: str, tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    write_config(elsewhere, base_url="http://elsewhere.test")
    write_config(user_data_path("okko-cancel", appauthor=False), base_url="http://default-dir.test")
    options: dict[str, object] = {}
    if where == "option":
        options["data_dir"] = elsewhere
    elif where == "env":
        monkeypatch.setenv("OKKO_DATA_DIR", str(elsewhere))
    else:
        write_dotenv(isolated, data_dir=str(elsewhere))

    settings = load_settings(**options)

    assert settings.data_dir == elsewhere
    assert settings.base_url == "http://elsewhere.test"


def test_config_file_in_the_default_data_dir_is_read() -> None:
    write_config(user_data_path("okko-cancel", appauthor=False), base_url="http://default-dir.test")

    assert load_settings().base_url == "http://default-dir.test"


def test_data_dir_expands_the_home_directory(tmp_path: Path) -> None:
    assert load_settings(data_dir=Path("~/okko")).data_dir == tmp_path / "home" / "okko"


@pytest.mark.parametrize(
    ("option", "value", "named"),
    [
        ("base_url", "okko.tv", "base_url"),
        ("base_url", "ftp://x", "base_url"),
        ("base_url", "https://", "base_url"),
        ("timeout_s", 0, "timeout_s"),
        ("timeout_s", -3, "timeout_s"),
        ("timeout_s", 601, "timeout_s"),
        ("slow_mo_ms", -1, "slow_mo_ms"),
        ("connect", "http://x", "connect"),
    ],
)
def test_bad_option_is_one_line_configuration_error(option: str, value: object, named: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings(**{option: value})

    message = str(caught.value)
    assert "\n" not in message
    assert f"bad setting {named}" in message
    # The option that really sets it: --timeout for timeout_s, --slow-mo for slow_mo_ms.
    assert f"(OKKO_{named.upper()} or {OPTIONS[named]})" in message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("variable", "value"),
    [("OKKO_TIMEOUT_S", "soon"), ("OKKO_HEADLESS", "maybe"), ("OKKO_BASE_URL", "okko.tv")],
)
def test_bad_environment_value_is_one_line_configuration_error(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigurationError) as caught:
        load_settings()

    assert "\n" not in str(caught.value)
    assert variable in str(caught.value)


def test_unparsable_config_file_is_configuration_error(data_dir: Path) -> None:
    (data_dir / "config.toml").write_text(f'password = "{SENTINEL}"\nbase_url = \n')

    with pytest.raises(ConfigurationError, match="cannot read the config file") as caught:
        load_settings()

    assert SENTINEL not in str(caught.value)


@pytest.mark.parametrize("source", ["env", "dotenv", "option"])
def test_error_in_another_setting_never_echoes_the_password(
    source: str, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options: dict[str, object] = {"timeout_s": 0}
    if source == "env":
        monkeypatch.setenv("OKKO_PASSWORD", SENTINEL)
    elif source == "dotenv":
        write_dotenv(isolated, password=SENTINEL)
    else:
        options["password"] = SENTINEL

    with pytest.raises(ConfigurationError) as caught:
        load_settings(**options)

    assert SENTINEL not in str(caught.value)
    assert SENTINEL not in repr(caught.value)


def test_bad_value_itself_is_not_echoed() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings(base_url=f"not-a-url-{SENTINEL}")

    assert SENTINEL not in str(caught.value)


def test_password_is_a_secret_hidden_from_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKKO_PASSWORD", SENTINEL)

    settings = load_settings()

    assert isinstance(settings.password, SecretStr)
    assert settings.password.get_secret_value() == SENTINEL
    for shown in (repr(settings), str(settings), repr(settings.password), settings.model_dump_json()):
        assert SENTINEL not in shown


@pytest.mark.parametrize(
    ("base_url", "normalised", "site_key"),
    [
        ("https://okko.tv", "https://okko.tv", "okko.tv"),
        ("https://OKKO.tv/", "https://OKKO.tv", "okko.tv"),
        ("  http://127.0.0.1:8800/  ", "http://127.0.0.1:8800", "127.0.0.1:8800"),
    ],
)
def test_base_url_is_normalised_and_keys_the_site(base_url: str, normalised: str, site_key: str) -> None:
    settings = load_settings(base_url=base_url)

    assert settings.base_url == normalised
    assert settings.site_key == site_key


def test_settings_class_reads_the_environment_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKKO_HEADLESS", "false")
    monkeypatch.setenv("OKKO_TIMEOUT_S", "2.5")

    settings = Settings()

    assert settings.headless is False and settings.timeout_s == 2.5
