"""When the site changes (the README's drift drill), at the command line: a button the site
renamed fails its step with a proposed locators.toml fix; with those lines in locators.toml
the same command works again. A wrong locators.toml is refused in one line, exit 2, before
any browser starts. `okko-cancel locators` lists every key with the built-in alternatives
and the user's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.helpers import cli_env, error_line, run
from tests.keyrings import MemoryKeyring

RENAMED = "Убрать карту"
FIX = '[payments.unbind_button]\nnames = ["Убрать карту"]'
WITH_A_NAME = ('[payments.unbind_button]\nnames = ["Удалить навсегда"]\n\n'
               '[devices.current_words]\ntexts = ["Вы здесь"]\nreplace = true\n')


def with_password(data_dir: Path, base_url: str, **extra: str) -> dict[str, str | None]:
    """For the classic layout, which logs in by password."""
    return cli_env(data_dir, base_url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD, **extra)


def failed_receipt(data_dir: Path) -> dict[str, object]:
    receipts = list((data_dir / "receipts").glob("*-unbind-card-failed.json"))
    assert len(receipts) == 1, receipts
    document: dict[str, object] = json.loads(receipts[0].read_text())
    return document


def card_labels(site: AdminClient) -> list[str]:
    return [card["label"] for card in site.account()["cards"]]


# ------------------------------------------------------------------ the drift drill


@pytest.mark.slow
def test_a_renamed_button_gets_a_proposal_and_its_lines_make_the_command_work_again(
    site: AdminClient, mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    site.set_faults(rename={"unbind_card": RENAMED})
    env = cli_env(data_dir, mock_site.url)
    # okko.tv's layout logs in by a code, which the environment's code command reads.
    assert run(["login"], cli_env(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL)).exit_code == 0

    broken = run(["unbind-card", "--yes", "--timeout", "2"], env)

    assert broken.exit_code == 1, broken.output
    assert "Visa •••• 4242" in error_line(broken)  # the step that unbinds it
    [failed] = [step for step in failed_receipt(data_dir)["steps"] if step["outcome"] == "failed"]  # type: ignore[attr-defined]
    assert failed["proposal"]["toml"] == FIX
    assert failed["proposal"]["file"] == str(data_dir / "locators.toml")
    assert card_labels(site) == ["Visa •••• 4242"]

    (data_dir / "locators.toml").write_text(failed["proposal"]["toml"] + "\n", encoding="utf-8")
    fixed = run(["unbind-card", "--yes", "--json"], env)  # the default wait: a loaded machine may need it

    assert fixed.exit_code == 0, fixed.output
    assert json.loads(fixed.stdout)["changed"] == ["Visa •••• 4242"]
    assert card_labels(site) == []


@pytest.mark.slow
@pytest.mark.variant("classic")
def test_check_reports_the_proposal_of_the_step_that_broke(
    site: AdminClient, mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    site.set_faults(rename={"unbind_card": RENAMED})

    result = run(["check", "--json", "--timeout", "2"], with_password(data_dir, mock_site.url))

    assert result.exit_code == 1, result.output
    failed = [step for step in json.loads(result.stdout)["steps"] if step["outcome"] == "failed"]
    assert [step["proposal"]["toml"] for step in failed] == [FIX]
    assert "Visa •••• <card>" in failed[0]["name"]  # check's document is shared: its card digits redacted
    assert card_labels(site) == ["Visa •••• 4242"]


@pytest.mark.slow
@pytest.mark.variant("classic")
def test_a_locators_file_given_by_option_or_environment_is_the_one_used(
    site: AdminClient, mock_site: MockSite, data_dir: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    site.set_faults(rename={"unbind_card": RENAMED})
    elsewhere = tmp_path / "mine.toml"
    elsewhere.write_text(FIX, encoding="utf-8")

    # The default wait, as these runs pass: a loaded machine may need it.
    by_option = run(["unbind-card", "--yes", "--dry-run", "--locators", str(elsewhere)],
                    with_password(data_dir, mock_site.url))
    by_environment = run(["unbind-card", "--yes", "--dry-run"],
                         with_password(data_dir, mock_site.url, OKKO_LOCATORS=str(elsewhere)))

    assert (by_option.exit_code, by_environment.exit_code) == (0, 0), by_option.output + by_environment.output


# ------------------------------------------------------------------ a wrong file


BAD_FILES = [
    ("[payments.unbind_buton]\nnames = ['Убрать карту']\n",
     "unknown locator key [payments.unbind_buton]; the closest known: payments.unbind_button"),
    ("[paymnts.unbind_button]\nnames = ['Убрать карту']\n",
     "unknown locator key [paymnts.unbind_button]; the closest known: payments.unbind_button"),
    ("[payments.unbind_button]\nrole = 'buton'\nnames = ['Убрать карту']\n",
     "[payments.unbind_button] role «buton» is not an ARIA role; valid roles: button,"),
    ("[payments.unbind_button]\nnmes = ['Убрать карту']\n",
     "[payments.unbind_button] has no field «nmes» (a locator takes names,"),
    ("[devices.current_words]\nnames = ['Вы здесь']\n",
     "[devices.current_words] has no field «names» (an entry of words takes texts, replace)"),
    ("[payments.unbind_button]\nnames = 'Убрать карту'\n",
     '[payments.unbind_button] names must be a list of non-empty texts, e.g. names = ["…"]'),
    ("[payments.unbind_button]\nreplace = 'yes'\n", "[payments.unbind_button] replace must be true or false"),
    ("[payments.unbind_button]\nreplace = true\n",
     "[payments.unbind_button] replace = true needs at least one alternative of its own"),
    ("[login.login_input]\nnames = ['Почта']\n", '[login.login_input] names need a role here, e.g. role = "button"'),
    ("[payments.unbind_button]\nnames = ['Убрать карту'\n", "locators.toml, line 2: not valid TOML"),
    ("[payments.unbind_button]\nnames = [\"Убрать\"]\n[payments.unbind_button]\n",
     "locators.toml, line 3: not valid TOML"),
    ("[payments.unbind_button]\nnames = Убрать\n", "locators.toml, line 2: not valid TOML (Invalid value"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES,
                         ids=[message.split(";")[0][:40] for _, message in BAD_FILES])
def test_a_wrong_locators_file_is_refused_in_one_line(data_dir: Path, content: str, message: str) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "locators.toml").write_text(content, encoding="utf-8")

    result = run(["locators"], cli_env(data_dir, "https://okko.tv"))

    assert result.exit_code == 2, result.output
    assert message in error_line(result)
    assert error_line(result).startswith(f"Error: {data_dir / 'locators.toml'}")
    assert "Traceback" not in result.output


def test_a_locators_file_that_is_not_there_is_refused_when_asked_for(data_dir: Path, tmp_path: Path) -> None:
    result = run(["locators", "--locators", str(tmp_path / "missing.toml")], cli_env(data_dir, "https://okko.tv"))

    assert result.exit_code == 2, result.output
    assert error_line(result) == (f"Error: the locators file {tmp_path / 'missing.toml'} does not exist "
                                  "(--locators or OKKO_LOCATORS)")


def test_a_wrong_locators_file_stops_a_command_before_any_browser(
    site: AdminClient, mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "locators.toml").write_text("[payments.unbind_button]\nrole = 'knopka'\nnames = ['x']\n")

    result = run(["unbind-card", "--yes"], with_password(data_dir, mock_site.url))

    assert result.exit_code == 2, result.output
    assert "role «knopka» is not an ARIA role" in error_line(result)
    assert site.event_types() == []  # the site never saw a login


# ------------------------------------------------------------------ okko-cancel locators


def listed(result: Result) -> dict[str, dict[str, object]]:
    assert result.exit_code == 0, result.output
    document: dict[str, dict[str, object]] = json.loads(result.stdout)["locators"]
    return document


def test_locators_lists_every_key_with_the_built_in_alternatives(data_dir: Path) -> None:
    keys = listed(run(["locators", "--json"], cli_env(data_dir, "https://okko.tv")))

    assert keys["payments.unbind_button"] == {
        "kind": "locator",
        "builtin": {"role": "button", "names": ["Отвязать", "Отвязать карту", "Удалить карту", "Удалить"]},
        "yours": None,
    }
    assert keys["header.sign_in"]["builtin"] == {"role": "link", "test_ids": ["nav_sign"], "names": ["Войти"]}
    assert keys["devices.current_words"]["kind"] == "words"
    assert {key.split(".")[0] for key in keys} >= {"header", "login", "payments", "devices", "subscriptions"}


def test_locators_lists_the_users_alternatives_beside_the_built_in_ones(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "locators.toml").write_text(WITH_A_NAME, encoding="utf-8")

    document = run(["locators", "--json"], cli_env(data_dir, "https://okko.tv"))
    keys = listed(document)

    assert json.loads(document.stdout)["file"] == str(data_dir / "locators.toml")
    assert keys["payments.unbind_button"]["yours"] == {"names": ["Удалить навсегда"], "replace": False}
    assert keys["devices.current_words"]["yours"] == {"texts": ["Вы здесь"], "replace": True}
    assert keys["payments.confirm_unbind"]["yours"] is None


def test_locators_in_text_has_a_table_per_area_with_the_users_names(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "locators.toml").write_text(WITH_A_NAME, encoding="utf-8")

    result = run(["locators"], cli_env(data_dir, "https://okko.tv"))

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Your locators: {data_dir / 'locators.toml'}"
    assert {"[header]", "[payments]", "[devices]"} <= {line.strip() for line in lines}
    [row] = [line for line in lines if "unbind_button" in line]
    assert "button «Отвязать»" in row and "button «Удалить навсегда»" in row


def test_locators_without_a_file_says_there_is_none(data_dir: Path) -> None:
    result = run(["locators"], cli_env(data_dir, "https://okko.tv"))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (f"Your locators: none ({data_dir / 'locators.toml'} does not exist; "
                                             "see `okko-cancel locators --help`)")


def test_locators_speaks_russian_when_asked(data_dir: Path) -> None:
    result = run(["locators", "--lang", "ru"], cli_env(data_dir, "https://okko.tv"))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("Ваши локаторы:")
