"""`watch` through the command line against the mock site, in a real browser: `cancel --yes`
first, then the site's clock moved past the billing date.

- With the `charge_after_cancel` fault the site charges the cancelled «Оптимум» anyway:
  `watch` exits 6, names the charge in one line, and writes the evidence pack (the cancel
  receipt's copy with its screenshot, the payment's row, the payment history now, the refund
  verdict and the hotline's words), and changes nothing on the site.
- With "renew", auto-renew is back on as well: two findings, in `--json` with the pack's path.
- Without the fault the subscription runs out as it should: `watch` exits 0 in one line saying
  what it compared, and writes no pack.
- With no receipt to compare with, `watch` exits 2 before any browser starts.
"""

from __future__ import annotations

import json
import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from automations.receipt_manifest import verify_receipt
from automations.watch_rules import MOSCOW
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.helpers import cli_env, error_line, last_event_id, run
from tests.keyrings import MemoryKeyring

# Whole commands, each with a browser: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

OPTIMUM = "Оптимум"
CARD = "Visa •••• 4242"


@pytest.fixture
def env(mock_site: MockSite, data_dir: Path, memory_keyring: MemoryKeyring) -> dict[str, str | None]:
    # The okko layout logs in by a code (the code command reads it from the outbox); the
    # password is never asked for there.
    return cli_env(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)


def cancel_then_pass_the_billing_date(site: AdminClient, env: dict[str, str | None]) -> dict[str, object]:
    """`cancel --yes`, then the site's date one day past «Оптимум»'s billing date; what the
    site billed on the way."""
    billing_day = date.fromisoformat(next(s for s in site.account()["subscriptions"] if s["name"] == OPTIMUM)
                                     ["next_charge"])
    cancelled = run(["cancel", "--yes"], env)
    assert cancelled.exit_code == 0, cancelled.output
    return site.advance_clock((billing_day - date.fromisoformat(site.today())).days + 1)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_charge_after_cancel_exits_6_with_the_evidence_pack(site: AdminClient, env: dict[str, str | None],
                                                              data_dir: Path) -> None:
    site.set_faults(charge_after_cancel=True)
    billed = cancel_then_pass_the_billing_date(site, env)
    [charge] = billed["charged"]  # type: ignore[index]
    assert (charge["subscription"], charge["card"], charge["after_cancel"]) == (OPTIMUM, CARD, True)
    charged_on = date.fromisoformat(charge["on"]).strftime("%d.%m.%Y")
    before = last_event_id(site)

    result = run(["watch"], env)

    assert result.exit_code == 6, result.output
    assert error_line(result).startswith("Error: the site charged or renewed after a cancellation (findings: 1)")
    [finding_line] = [line for line in result.stdout.splitlines() if line.startswith(f"«{OPTIMUM}»")]
    assert f"399 ₽ charged on {charged_on} ({CARD}), after auto-renew was turned off on" in finding_line
    assert site.events(before) == []  # read only: nothing changed on the site

    [pack] = (data_dir / "evidence").iterdir()
    assert str(pack) in result.stdout and str(pack) in error_line(result)
    assert mode(pack) == 0o700
    [cancel_receipt] = (data_dir / "receipts").glob("*-cancel.json")
    findings = json.loads((pack / "findings.json").read_text())
    [finding] = findings["findings"]
    assert finding["kind"] == "charged_after_auto_renew_off"
    assert finding["cancellation"]["receipt"] == str(cancel_receipt)
    assert (pack / "payment-history.png").read_bytes().startswith(b"\x89PNG")

    [own] = [p for p in pack.iterdir() if p.is_dir()]
    assert sorted(p.name for p in own.iterdir()) == sorted(
        [cancel_receipt.name, cancel_receipt.with_suffix(".png").name, cancel_receipt.with_suffix(".sha256").name,
         "payment.json", "refund.json"])
    assert verify_receipt(own / cancel_receipt.name).ok  # the copy verifies where it lies
    assert (own / cancel_receipt.name).read_bytes() == cancel_receipt.read_bytes()
    assert (own / cancel_receipt.with_suffix(".png").name).read_bytes().startswith(b"\x89PNG")
    payment = json.loads((own / "payment.json").read_text())
    assert payment == {"date": charge["on"], "description": f"Подписка «{OPTIMUM}» · {CARD}", "amount": "399 ₽",
                       "status": "Оплачено"}
    refund = json.loads((own / "refund.json").read_text())
    # The charge opened a paid period on its day: the refund rule says a refund is due.
    assert (refund["refund"]["name"], refund["refund"]["eligible"]) == (OPTIMUM, True)
    assert refund["refund"]["payment"] == payment
    assert refund["hotline"]["phone"] == "8 800 700 55 33"
    assert "списано 399 ₽" in refund["hotline"]["say"] and DEMO_EMAIL in refund["hotline"]["say"]
    assert {mode(p) for p in own.iterdir()} | {mode(pack / "findings.json")} == {0o600}


def test_auto_renew_switched_back_on_is_a_finding_too_in_json(site: AdminClient, env: dict[str, str | None],
                                                              data_dir: Path) -> None:
    site.set_faults(charge_after_cancel="renew")
    cancel_then_pass_the_billing_date(site, env)
    assert next(s for s in site.account()["subscriptions"] if s["name"] == OPTIMUM)["auto_renew"] is True

    result = run(["watch", "--json"], env)

    assert result.exit_code == 6, result.output
    document = json.loads(result.stdout)
    assert [(f["kind"], f["subscription"]) for f in document["findings"]] == [
        ("charged_after_auto_renew_off", OPTIMUM), ("auto_renew_back_on", OPTIMUM)]
    assert document["ok"] is False and Path(document["evidence"]).parent == data_dir / "evidence"
    assert (Path(document["evidence"]) / "findings.json").is_file()


def test_a_site_that_keeps_the_cancellation_exits_0(site: AdminClient, env: dict[str, str | None],
                                                   data_dir: Path) -> None:
    billed = cancel_then_pass_the_billing_date(site, env)
    assert billed["charged"] == [] and [e["subscription"] for e in billed["ended"]] == [OPTIMUM]  # type: ignore[index]

    result = run(["watch"], env)

    assert result.exit_code == 0, result.output
    [cancel_receipt] = (data_dir / "receipts").glob("*-cancel.json")
    # The site's day (Moscow's) the cancellation was made on.
    cancelled = datetime.fromisoformat(json.loads(cancel_receipt.read_text())["at"]).astimezone(MOSCOW)
    assert result.stdout.splitlines()[0] == (
        "Nothing charged or renewed after a cancellation: compared with the account as the site shows it now; "
        f"receipts: 1, since {cancelled.strftime('%d.%m.%Y')}.")
    assert not (data_dir / "evidence").exists()
    [receipt] = (data_dir / "receipts").glob("*-watch.json")
    assert json.loads(receipt.read_text())["findings"] == []


def test_no_receipt_to_compare_with_exits_2_before_any_browser(site: AdminClient, env: dict[str, str | None]) -> None:
    result = run(["watch"], env)

    assert result.exit_code == 2, result.output
    assert "no receipt of disable-auto-renew, unbind-card or cancel" in error_line(result)
    assert site.event_types() == []  # no login: the browser never started
