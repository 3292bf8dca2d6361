"""What `watch` compares (flows/watch.py reads the account from the site): the receipts of
past changes against the account as it is now. Pure: dictionaries and dates in, findings out,
no browser.

A receipt of `disable-auto-renew`, `unbind-card` or `cancel` records what it changed and when
(`changed`, `at`). From the latest such change of each subscription and each card:

- a payment «Оплачено» for a subscription dated after its auto-renew was turned off, or to a
  card dated after it was unbound, is a charge after a cancellation;
- a card-billed subscription whose auto-renew is on again, after a receipt turned it off;
- a card bound again (by its last four digits) after a receipt unbound it.

The site dates a payment by the day, in Moscow time, and a receipt's `at` is to the second in
UTC: a payment counts only from the day after the cancellation's Moscow day, since one on that
very day may have come before it. Only the latest cancellation of each subscription and card
counts: running `cancel` again after a finding (once it is dealt with) starts the watch afresh.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from automations.dates import card_last4
from automations.errors import ConfigurationError
from automations.home import RECEIPTS, DataHome
from automations.i18n import _
from automations.models import Card, Subscription
from automations.refund_rule import PAID, ddmmyyyy

ACTION = "watch"
# The commands whose receipts record a cancellation; `cancel` prefixes each change with one
# of the other two ("disable-auto-renew: Оптимум").
DISABLE_AUTO_RENEW = "disable-auto-renew"
UNBIND_CARD = "unbind-card"
CANCEL = "cancel"
WATCHED_ACTIONS = (DISABLE_AUTO_RENEW, UNBIND_CARD, CANCEL)

# What a receipt did.
AUTO_RENEW_OFF = "auto_renew_off"
CARD_UNBOUND = "card_unbound"
# What `watch` finds.
CHARGED_AFTER_AUTO_RENEW_OFF = "charged_after_auto_renew_off"
CHARGED_TO_UNBOUND_CARD = "charged_to_unbound_card"
AUTO_RENEW_BACK_ON = "auto_renew_back_on"
CARD_BOUND_AGAIN = "card_bound_again"

# okko.tv's dates are Moscow's: UTC+3 all year (no summer time since 2014).
MOSCOW = timezone(timedelta(hours=3), "MSK")
# «Подписка «Оптимум» · Visa •••• 4242»: the subscription a payment is for.
SUBSCRIPTION_NAME = re.compile(r"«([^»]+)»")


@dataclass(frozen=True)
class Cancellation:
    """One change a receipt recorded: auto-renew off for a subscription, or a card unbound."""

    kind: str
    # The subscription's name, or the card as the site showed it («Visa •••• 4242»).
    subject: str
    at: datetime
    receipt: str
    screenshot: str | None = None

    @property
    def key(self) -> str:
        """What identifies the subject on the site later: a name (any case), a card's last four."""
        if self.kind == CARD_UNBOUND:
            return card_last4(self.subject) or self.subject[-4:]
        return self.subject.casefold()

    @property
    def day(self) -> date:
        """The site's day the change was made on."""
        return self.at.astimezone(MOSCOW).date()

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    return (parts.netloc or parts.path).lower()


def cancellations_in(receipt: dict[str, Any], path: str | Path) -> list[Cancellation]:
    """The cancellations one receipt records; none for a dry run, a failed or interrupted run,
    or a command that cancels nothing."""
    action = receipt.get("action")
    if action not in WATCHED_ACTIONS or receipt.get("dry_run") or receipt.get("interrupted"):
        return []
    try:
        at = datetime.fromisoformat(str(receipt["at"]))
    except (KeyError, ValueError):
        return []
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)  # receipts are written in UTC
    screenshot = receipt.get("screenshot")
    shot = str(Path(path).with_name(screenshot)) if isinstance(screenshot, str) else None
    found = []
    for item in receipt.get("changed") or []:
        if not isinstance(item, str):
            continue
        part, subject = (action, item)
        if action == CANCEL:
            part, _sep, subject = item.partition(": ")
        kind = {DISABLE_AUTO_RENEW: AUTO_RENEW_OFF, UNBIND_CARD: CARD_UNBOUND}.get(part)
        if kind and subject.strip():
            found.append(Cancellation(kind, subject.strip(), at, str(path), shot))
    return found


def cancellations_to_watch(home: DataHome, *, site: str, site_key: str, account: str | None) -> list[Cancellation]:
    """`watch`'s cancellations: those of the receipts in the data dir, or a usage error (before
    any browser starts) when there are none, since there is then nothing to compare with."""
    folder = home.root / RECEIPTS
    found = read_cancellations(folder, site=site, account=account)
    if not found:
        raise ConfigurationError(_("no receipt of disable-auto-renew, unbind-card or cancel for {site} in {folder}: "
                                   "watch compares the account with them; give the data directory they are in "
                                   "(--data-dir), or run `okko-cancel cancel` first").format(site=site_key, folder=folder))
    return found


def read_cancellations(folder: Path, *, site: str, account: str | None) -> list[Cancellation]:
    """Every cancellation the receipts in `folder` record for this site and account (a receipt
    of another site, or of another login, is someone else's). A receipt that cannot be read
    is passed over: it proves nothing either way."""
    found: list[Cancellation] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        try:
            receipt = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(receipt, dict) or _origin(str(receipt.get("site", ""))) != _origin(site):
            continue
        owner = receipt.get("account")
        if account and isinstance(owner, str) and owner.strip().casefold() != account.strip().casefold():
            continue
        found.extend(cancellations_in(receipt, path))
    return found


def latest(cancellations: list[Cancellation]) -> dict[tuple[str, str], Cancellation]:
    """The latest cancellation of each subscription and each card."""
    newest: dict[tuple[str, str], Cancellation] = {}
    for c in cancellations:
        key = (c.kind, c.key)
        if key not in newest or c.at > newest[key].at:
            newest[key] = c
    return newest


@dataclass(frozen=True)
class Finding:
    kind: str
    cancellation: Cancellation
    subscription: str | None = None
    card: str | None = None
    payment: dict[str, str] | None = None

    def describe(self) -> str:
        """One line for a person."""
        cancelled = ddmmyyyy(self.cancellation.day)
        if self.kind == CHARGED_AFTER_AUTO_RENEW_OFF:
            assert self.payment is not None
            return _("«{subscription}»: {amount} charged on {date}{card}, after auto-renew was turned off on "
                     "{cancelled}").format(subscription=self.subscription, amount=self.payment.get("amount", "?"),
                                           date=ddmmyyyy(self.payment["date"]),
                                           card=f" ({self.card})" if self.card else "", cancelled=cancelled)
        if self.kind == CHARGED_TO_UNBOUND_CARD:
            assert self.payment is not None
            return _("{card}: {amount} charged on {date} for {what}, after the card was unbound on {cancelled}").format(
                card=self.cancellation.subject, amount=self.payment.get("amount", "?"),
                date=ddmmyyyy(self.payment["date"]), cancelled=cancelled,
                what=f"«{self.subscription}»" if self.subscription else self.payment.get("description", "?"))
        if self.kind == AUTO_RENEW_BACK_ON:
            return _("«{subscription}»: auto-renew is on again, after it was turned off on {cancelled}").format(
                subscription=self.subscription, cancelled=cancelled)
        return _("{card}: bound to the account again, after it was unbound on {cancelled}").format(
            card=self.card, cancelled=cancelled)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.describe(), "subscription": self.subscription, "card": self.card,
                "payment": self.payment, "cancellation": self.cancellation.to_dict()}


def subscription_of(payment: dict[str, str]) -> str | None:
    """The subscription a payment is for, as its description names it."""
    match = SUBSCRIPTION_NAME.search(payment.get("description", ""))
    return match.group(1).strip() if match else None


def _card_of(payment: dict[str, str]) -> str | None:
    """The card a payment names («Подписка «Оптимум» · Visa •••• 4242»), as the site shows it."""
    text = payment.get("card") or payment.get("description", "")
    label = text.rsplit(" · ", 1)[-1].strip() if " · " in text else text.strip()
    return label if card_last4(label) else None


def compare(cancellations: list[Cancellation], subscriptions: list[Subscription], cards: list[Card],
            payments: list[dict[str, str]]) -> list[Finding]:
    """Everything the site did after a cancellation that it should not have: payments first,
    oldest first, then renewals and cards bound again."""
    newest = latest(cancellations)
    findings: list[Finding] = []
    for payment in sorted(payments, key=lambda p: p.get("date", "")):
        if payment.get("status", PAID) != PAID or not payment.get("date"):
            continue
        paid = date.fromisoformat(payment["date"])
        name, card = subscription_of(payment), _card_of(payment)
        renewal_off = newest.get((AUTO_RENEW_OFF, name.casefold())) if name else None
        unbound = newest.get((CARD_UNBOUND, card_last4(card) or "")) if card else None
        # Auto-renew first: it is what stops a subscription's charges, whatever card they go to.
        if renewal_off is not None and paid > renewal_off.day:
            findings.append(Finding(CHARGED_AFTER_AUTO_RENEW_OFF, renewal_off, name, card, payment))
        elif unbound is not None and paid > unbound.day:
            findings.append(Finding(CHARGED_TO_UNBOUND_CARD, unbound, name, card, payment))
    for sub in subscriptions:
        renewal_off = newest.get((AUTO_RENEW_OFF, sub.name.casefold()))
        if renewal_off is not None and sub.auto_renew and sub.card_billed:
            findings.append(Finding(AUTO_RENEW_BACK_ON, renewal_off, subscription=sub.name))
    for bound in cards:
        unbound = newest.get((CARD_UNBOUND, bound.last4))
        if unbound is not None:
            findings.append(Finding(CARD_BOUND_AGAIN, unbound, card=bound.label))
    return findings


def site_today(today: date, payments: list[dict[str, str]]) -> date:
    """The site's today: ours, or the newest payment's day when that is later (a site cannot
    charge in the future: its clock is ahead of ours, as the mock's moved clock is). The refund
    rule counts in the site's days."""
    days = [date.fromisoformat(p["date"]) for p in payments if p.get("date")]
    return max([today, *days])


def hotline_claim(finding: Finding, account: dict[str, str]) -> str:
    """What to say on the hotline about one finding, in Russian (OKKO's hotline speaks it)."""
    who = f"Здравствуйте! Мой аккаунт Okko: {account.get('email') or '—'}, телефон {account.get('phone') or '—'}."
    cancelled = ddmmyyyy(finding.cancellation.day)
    payment = finding.payment or {}
    paid, amount = ddmmyyyy(payment.get("date")), payment.get("amount", "")
    if finding.kind == CHARGED_AFTER_AUTO_RENEW_OFF:
        card = f" с карты {finding.card}" if finding.card else ""
        said = (f"{cancelled} автопродление подписки «{finding.subscription}» было отключено (у меня есть снимок "
                f"экрана), но {paid}{card} списано {amount}. Прошу вернуть эти деньги и подтвердить, что "
                f"автопродление отключено и списаний больше не будет.")
    elif finding.kind == CHARGED_TO_UNBOUND_CARD:
        what = f" за подписку «{finding.subscription}»" if finding.subscription else ""
        said = (f"{cancelled} карта {finding.cancellation.subject} была отвязана от аккаунта (у меня есть снимок "
                f"экрана), но {paid} с неё списано {amount}{what}. Прошу вернуть эти деньги: с отвязанной карты "
                f"списывать нельзя.")
    elif finding.kind == AUTO_RENEW_BACK_ON:
        said = (f"{cancelled} автопродление подписки «{finding.subscription}» было отключено, а сейчас оно снова "
                f"включено. Прошу отключить его и подтвердить, что списаний не будет.")
    else:
        said = (f"{cancelled} карта {finding.card} была отвязана, а сейчас она снова привязана к аккаунту. Прошу "
                f"отвязать её и подтвердить, что списаний с неё не будет.")
    return f"{who} {said}"


@dataclass
class WatchReport:
    site: str
    account: str | None
    today: str
    # The receipts whose cancellations were compared, and the earliest day among them.
    receipts: int
    since: str | None
    subscriptions: int
    cards: int
    payments: int
    findings: list[dict[str, Any]] = field(default_factory=list)
    evidence: str | None = None
    receipt: str | None = None
    action: str = ACTION

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def compared(cancellations: list[Cancellation]) -> tuple[int, str | None]:
    """How many receipts the cancellations in force come from, and the earliest one's day."""
    newest = list(latest(cancellations).values())
    since = min((c.day for c in newest), default=None)
    return len({c.receipt for c in newest}), since.isoformat() if since else None


def watch_lines(document: dict[str, Any]) -> list[str]:
    """For a terminal: one line saying what was compared, or one line per finding and the pack."""
    if not document["findings"]:
        return [_("Nothing charged or renewed after a cancellation: compared with the account as the site shows it "
                  "now; receipts: {receipts}, since {since}.").format(receipts=document["receipts"],
                                                                    since=ddmmyyyy(document["since"]))]
    lines = [finding["message"] for finding in document["findings"]]
    if document.get("evidence"):
        lines.append(_("Evidence: {path}").format(path=document["evidence"]))
    return lines
