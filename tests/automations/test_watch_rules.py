"""`watch`'s comparison (automations/watch_rules.py) as pure functions: the receipts of past
cancellations read into what they cancelled and when, and a table of accounts as the site
shows them with what `watch` must find there (and must not). No browser.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from automations.models import Card, Subscription
from automations.watch_rules import (
    AUTO_RENEW_BACK_ON,
    AUTO_RENEW_OFF,
    CARD_BOUND_AGAIN,
    CARD_UNBOUND,
    CHARGED_AFTER_AUTO_RENEW_OFF,
    CHARGED_TO_UNBOUND_CARD,
    Cancellation,
    Finding,
    cancellations_in,
    compare,
    compared,
    hotline_claim,
    read_cancellations,
    site_today,
    watch_lines,
)

SITE = "https://okko.tv"
# 10 June, 12:00 in Moscow.
AT = datetime(2025, 6, 10, 9, 0, tzinfo=UTC)
OFF = Cancellation(AUTO_RENEW_OFF, "Оптимум", AT, "receipts/20250610T090000Z-cancel.json")
UNBOUND = Cancellation(CARD_UNBOUND, "Visa •••• 4242", AT, "receipts/20250610T090000Z-cancel.json")


def sub(name: str = "Оптимум", *, auto_renew: bool = False, store: str | None = None) -> Subscription:
    return Subscription(name=name, price="399 ₽/мес", auto_renew=auto_renew, next_charge=None,
                        active_until="2025-07-01", billed="", store=store)


def paid(day: str, description: str = "Подписка «Оптимум» · Visa •••• 4242", status: str = "Оплачено") -> dict[str, str]:
    return {"date": day, "description": description, "amount": "399 ₽", "status": status}


# (what the receipts cancelled, subscriptions, cards, payments) -> [(finding, subscription or card)]
CASES: dict[str, tuple[list[Cancellation], list[Subscription], list[Card], list[dict[str, str]],
                       list[tuple[str, str | None]]]] = {
    "nothing after the cancellation": ([OFF, UNBOUND], [sub()], [], [paid("2025-06-01")], []),
    "a charge the day after auto-renew was turned off": (
        [OFF], [sub()], [], [paid("2025-06-11")], [(CHARGED_AFTER_AUTO_RENEW_OFF, "Оптимум")]),
    # The day of the cancellation: the charge may have come before it.
    "a charge on the cancellation's own day": ([OFF], [sub()], [], [paid("2025-06-10")], []),
    "a failed charge is no charge": ([OFF], [sub()], [], [paid("2025-07-01", status="Ошибка оплаты")], []),
    "another subscription's charge": (
        [OFF], [sub(), sub("Премиум", auto_renew=True)], [], [paid("2025-07-01", "Подписка «Премиум»")], []),
    "«Оптимум + Амедиатека» is not «Оптимум»": (
        [OFF], [sub()], [], [paid("2025-07-01", "Подписка «Оптимум + Амедиатека»")], []),
    "a name in another case is the same subscription": (
        [Cancellation(AUTO_RENEW_OFF, "оптимум", AT, "r.json")], [sub()], [], [paid("2025-07-01")],
        [(CHARGED_AFTER_AUTO_RENEW_OFF, "Оптимум")]),
    "a charge to the unbound card, masked another way": (
        [UNBOUND], [sub(auto_renew=True)], [], [paid("2025-07-01", "Подписка «Оптимум» · Visa *4242")],
        [(CHARGED_TO_UNBOUND_CARD, "Оптимум")]),
    "a charge to another card after one was unbound": (
        [UNBOUND], [sub(auto_renew=True)], [Card("МИР •••• 2202", True)],
        [paid("2025-07-01", "Подписка «Оптимум» · МИР •••• 2202")], []),
    "auto-renew off and the card unbound: one finding per charge": (
        [OFF, UNBOUND], [sub()], [], [paid("2025-07-01")], [(CHARGED_AFTER_AUTO_RENEW_OFF, "Оптимум")]),
    "auto-renew back on": ([OFF], [sub(auto_renew=True)], [], [], [(AUTO_RENEW_BACK_ON, "Оптимум")]),
    "renewed and charged: two findings": (
        [OFF], [sub(auto_renew=True)], [], [paid("2025-07-01")],
        [(CHARGED_AFTER_AUTO_RENEW_OFF, "Оптимум"), (AUTO_RENEW_BACK_ON, "Оптимум")]),
    "a store-billed subscription renews through its store": (
        [Cancellation(AUTO_RENEW_OFF, "Лайт", AT, "r.json")], [sub("Лайт", auto_renew=True, store="Google Play")],
        [], [], []),
    "a subscription that ran out is no finding": ([OFF], [], [], [], []),
    "the unbound card bound again": (
        [UNBOUND], [], [Card("Visa •• 4242", True)], [], [(CARD_BOUND_AGAIN, "Visa •• 4242")]),
    "another card bound": ([UNBOUND], [], [Card("Visa •••• 1111", True)], [], []),
    "no receipts, nothing to compare": ([], [sub(auto_renew=True)], [Card("Visa •••• 4242", True)],
                                        [paid("2025-07-01")], []),
}


@pytest.mark.parametrize("case", CASES)
def test_findings(case: str) -> None:
    cancellations, subscriptions, cards, payments, expected = CASES[case]

    findings = compare(cancellations, subscriptions, cards, payments)

    assert [(f.kind, f.subscription or f.card) for f in findings] == expected


def test_only_the_latest_cancellation_counts() -> None:
    """`cancel` run again after a finding starts the watch afresh from its day."""
    later = Cancellation(AUTO_RENEW_OFF, "Оптимум", datetime(2025, 7, 5, 9, 0, tzinfo=UTC), "later.json")

    findings = compare([OFF, later], [sub()], [], [paid("2025-07-01"), paid("2025-07-06")])

    assert [(f.payment or {}).get("date") for f in findings] == ["2025-07-06"]
    assert findings[0].cancellation == later
    assert compared([OFF, later]) == (1, "2025-07-05")


def test_the_cancellation_day_is_moscow_s() -> None:
    # 22:30 UTC on 10 June is 01:30 on 11 June in Moscow: a charge on the 11th is that day's.
    late = Cancellation(AUTO_RENEW_OFF, "Оптимум", datetime(2025, 6, 10, 22, 30, tzinfo=UTC), "r.json")

    assert late.day == date(2025, 6, 11)
    assert compare([late], [sub()], [], [paid("2025-06-11")]) == []
    assert len(compare([late], [sub()], [], [paid("2025-06-12")])) == 1


def receipt(action: str, changed: list[str], **more: Any) -> dict[str, Any]:
    return {"action": action, "at": "2025-06-10T09:00:00+00:00", "site": SITE, "account": "me@example.com",
            "dry_run": False, "changed": changed, "screenshot": f"20250610T090000Z-{action}.png", **more}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (receipt("disable-auto-renew", ["Оптимум", "Премиум"]), [(AUTO_RENEW_OFF, "Оптимум"), (AUTO_RENEW_OFF, "Премиум")]),
        (receipt("unbind-card", ["Visa •••• 4242"]), [(CARD_UNBOUND, "Visa •••• 4242")]),
        (receipt("cancel", ["disable-auto-renew: Оптимум", "unbind-card: Visa •••• 4242",
                            "sign-out-devices: iPhone 13"]),
         [(AUTO_RENEW_OFF, "Оптимум"), (CARD_UNBOUND, "Visa •••• 4242")]),
        (receipt("cancel", ["disable-auto-renew: Оптимум"], dry_run=True), []),  # nothing was changed
        (receipt("cancel", []), []),  # already done
        (receipt("sign-out-devices", ["iPhone 13"]), []),
        (receipt("refund-check", []), []),
        (receipt("watch", []), []),
        ({"action": "unbind-card-failed", "at": "2025-06-10T09:00:00+00:00", "error": "…"}, []),
        (receipt("cancel-interrupted", [], interrupted=True), []),
        (receipt("unbind-card", ["Visa •••• 4242"], at="not a time"), []),
    ],
)
def test_what_a_receipt_cancelled(document: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    found = cancellations_in(document, Path("/data/receipts/20250610T090000Z-x.json"))

    assert [(c.kind, c.subject) for c in found] == expected
    assert all(c.at == AT for c in found)
    assert all(c.screenshot == f"/data/receipts/{document['screenshot']}" for c in found)


def test_receipts_of_another_site_or_login_and_unreadable_ones_are_passed_over(tmp_path: Path) -> None:
    def write(name: str, document: Any) -> None:
        (tmp_path / name).write_text(document if isinstance(document, str) else json.dumps(document))

    write("1-cancel.json", receipt("cancel", ["disable-auto-renew: Оптимум"]))
    write("2-cancel.json", receipt("cancel", ["disable-auto-renew: Лайт"], site="http://127.0.0.1:8800"))
    write("3-cancel.json", receipt("cancel", ["disable-auto-renew: Премиум"], account="other@example.com"))
    write("4-cancel.json", "{not json")
    write("5-unbind-card.json", receipt("unbind-card", ["Visa •••• 4242"], account=None))

    mine = read_cancellations(tmp_path, site="https://OKKO.tv/", account="Me@Example.com")
    anyone = read_cancellations(tmp_path, site=SITE, account=None)

    assert [c.subject for c in mine] == ["Оптимум", "Visa •••• 4242"]
    assert [c.subject for c in anyone] == ["Оптимум", "Премиум", "Visa •••• 4242"]
    assert read_cancellations(tmp_path / "missing", site=SITE, account=None) == []


def test_the_site_s_today_is_never_before_its_newest_payment() -> None:
    assert site_today(date(2025, 6, 15), [paid("2025-06-01")]) == date(2025, 6, 15)
    assert site_today(date(2025, 6, 15), [paid("2025-07-01"), paid("2025-06-01")]) == date(2025, 7, 1)


def test_the_hotline_claim_names_the_day_of_the_cancellation_and_the_charge() -> None:
    finding = Finding(CHARGED_AFTER_AUTO_RENEW_OFF, OFF, "Оптимум", "Visa •••• 4242", paid("2025-07-01"))

    said = hotline_claim(finding, {"email": "me@example.com", "phone": "+7 999 123-45-67"})

    assert said.startswith("Здравствуйте! Мой аккаунт Okko: me@example.com, телефон +7 999 123-45-67.")
    assert "10.06.2025 автопродление подписки «Оптимум» было отключено" in said
    assert "01.07.2025 с карты Visa •••• 4242 списано 399 ₽" in said


def test_lines_for_a_terminal() -> None:
    finding = Finding(CHARGED_TO_UNBOUND_CARD, UNBOUND, "Оптимум", "Visa •••• 4242", paid("2025-07-01"))
    quiet = {"receipts": 2, "since": "2025-06-10", "findings": [], "evidence": None}
    found = {**quiet, "findings": [finding.to_dict()], "evidence": "/data/evidence/20250701T000000Z"}

    assert watch_lines(quiet) == [("Nothing charged or renewed after a cancellation: compared with the account as "
                                   "the site shows it now; receipts: 2, since 10.06.2025.")]
    assert watch_lines(found) == [
        "Visa •••• 4242: 399 ₽ charged on 01.07.2025 for «Оптимум», after the card was unbound on 10.06.2025",
        "Evidence: /data/evidence/20250701T000000Z",
    ]
