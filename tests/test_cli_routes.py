"""The routes beyond the website on the command line (cli.py): `guide`, `refund-check`,
`deletion-request`, and the guide pointers `status` prints, in-process through click's
CliRunner (stdin not a terminal, as for a scheduled job).

`guide` needs no browser; the other three runs each start one (~1-2 s), so there are three:
- `status` on the `stores` scenario names `okko-cancel guide android` and `… sberbank`;
- `refund-check` on `stores` says a refund is due, with the payment it rests on and the
  hotline script, and keeps a receipt (JSON + PNG);
- `deletion-request --yes --json` sends the letter to a real SMTP server on loopback
  (STARTTLS against a test CA, AUTH) and no password (the site's or the mail server's)
  appears in the output, the receipt or the `.eml`.
Without `--yes` off a terminal, a send is refused with exit 2 before any browser starts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.keyrings import MemoryKeyring
from tests.smtp_server import SMTP_PASSWORD, SMTP_USER, SmtpServer, smtp_server
from tests.helpers import cli_env as any_cli_env
from tests.helpers import run

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow


def cli_env(data_dir: Path, base_url: str, **extra: str) -> dict[str, str | None]:
    """OKKO_* for one run (tests/helpers.py's), with the demo account's login and password."""
    return any_cli_env(data_dir, base_url, **{"OKKO_LOGIN": DEMO_EMAIL, "OKKO_PASSWORD": DEMO_PASSWORD, **extra})


def smtp_env(server: SmtpServer) -> dict[str, str]:
    return {"OKKO_SMTP_HOST": server.host, "OKKO_SMTP_PORT": str(server.port), "OKKO_SMTP_USER": SMTP_USER,
            "OKKO_SMTP_PASSWORD": SMTP_PASSWORD, "OKKO_SMTP_CA_FILE": str(server.ca_file)}


@pytest.fixture(autouse=True)
def _in_memory_keyring(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    return memory_keyring


# -------------------------------------------------------------------------------- guide


def test_guide_prints_numbered_steps_in_russian_for_whoever_sets_nothing() -> None:
    result = run(["guide", "android"], {"OKKO_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None})

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Android: Google Play"
    assert lines[1] == "1. Откройте Google Play на телефоне или планшете."
    assert "5. Нажмите «Отменить подписку» и подтвердите." in lines


def test_guide_in_english() -> None:
    result = run(["guide", "sberbank", "--lang", "en"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Sberbank Online")
    assert "3. Open «Мои автоплатежи» (My auto-payments)." in result.stdout


def test_guide_without_a_route_lists_them_all_and_json_holds_every_guide() -> None:
    listed = run(["guide"])
    as_json = run(["guide", "--json", "--lang", "en"])

    assert listed.exit_code == as_json.exit_code == 0
    for route in ("tv", "android", "ios", "app", "sberbank", "web", "phone"):
        assert f"okko-cancel guide {route}" in listed.stdout
    guides = json.loads(as_json.stdout)["guides"]
    assert [g["route"] for g in guides] == ["tv", "android", "ios", "app", "sberbank", "web", "phone"]
    assert all(g["lang"] == "en" and g["steps"] for g in guides)


def test_guide_for_an_unknown_route_exits_2() -> None:
    result = run(["guide", "fax"])

    assert result.exit_code == 2
    assert "fax" in result.stderr


# ----------------------------------------------------------------- status, refund-check


@pytest.mark.scenario("stores")
def test_status_names_the_guide_for_each_store_billed_subscription(
    site: AdminClient, mock_site: MockSite, data_dir: Path
) -> None:
    result = run(["status"], cli_env(data_dir, mock_site.url))

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert ("«Лайт» is billed through Google Play: Управляйте подпиской в настройках Google Play — see "
            "`okko-cancel guide android`.") in lines
    assert any(line.startswith("«Премиум» is billed through СберПрайм: ")
               and line.endswith("— see `okko-cancel guide sberbank`.") for line in lines)
    assert not any(line.startswith("«Оптимум»") for line in lines)


@pytest.mark.scenario("stores")
def test_refund_check_says_a_refund_is_due_and_keeps_a_receipt(
    site: AdminClient, mock_site: MockSite, data_dir: Path
) -> None:
    events_before = site.event_types()

    result = run(["refund-check"], cli_env(data_dir, mock_site.url))

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("A refund is due.")
    assert "at most 3 days ago" in out and "never for a past month" in out
    assert "  rests on: " in out and "Подписка «Оптимум» · Visa •••• 4242 · 399 ₽ · Оплачено" in out
    assert "  earlier, not refundable: " in out
    assert "see `okko-cancel guide android`" in out and "see `okko-cancel guide sberbank`" in out
    assert "8 800 700 55 33" in out and "Прошу вернуть 399 ₽ за подписку «Оптимум»" in out
    [receipt] = (data_dir / "receipts").glob("*-refund-check.json")
    assert f"Receipt: {receipt}" in out
    assert json.loads(receipt.read_text())["eligible"] is True
    assert receipt.with_suffix(".png").exists()
    assert site.event_types() == [*events_before, "login_code_sent", "login_ok"]  # read only
    assert DEMO_PASSWORD not in result.output
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert DEMO_PASSWORD.encode() not in path.read_bytes(), path


# --------------------------------------------------------------------- deletion-request


def test_deletion_request_sends_the_letter_over_starttls_and_keeps_no_secret(
    site: AdminClient, mock_site: MockSite, data_dir: Path, tmp_path: Path
) -> None:
    with smtp_server(tmp_path) as server:
        result = run(["deletion-request", "--yes", "--json", "--sber-id", "+7 999 000-11-22"],
                      cli_env(data_dir, mock_site.url, **smtp_env(server)))

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["sent"], document["to"], document["sender"]) == (True, "mail@okko.tv", DEMO_EMAIL)
    assert document["smtp"] == {"host": server.host, "port": server.port, "user": SMTP_USER, "starttls": True}
    assert "within two days" in document["deleted_within"]
    [got] = server.received
    assert got.tls and got.login == SMTP_USER and got.recipients == ["mail@okko.tv"]
    body = got.message.get_content().replace("\r\n", "\n")  # type: ignore[attr-defined]
    assert body == document["body"]
    assert "Телефон: +7 999 123-45-67" in body and "Сбер ID: +7 999 000-11-22" in body
    eml, receipt = Path(document["eml"]), Path(document["receipt"])
    assert eml.exists() and receipt.exists() and receipt.with_suffix(".png").exists()
    for secret in (SMTP_PASSWORD, DEMO_PASSWORD):
        assert secret not in result.output
        assert secret.encode() not in got.raw
        for path in data_dir.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


def test_sending_without_yes_off_a_terminal_exits_2_before_any_login(
    site: AdminClient, mock_site: MockSite, data_dir: Path, tmp_path: Path
) -> None:
    env = cli_env(data_dir, mock_site.url, OKKO_SMTP_HOST="127.0.0.1", OKKO_SMTP_PORT="9")

    result = run(["deletion-request"], env)

    assert result.exit_code == 2, result.output
    assert "--yes" in result.stderr
    assert site.events() == []
