"""`deletion-request`: OKKO deletes an account on a letter to mail@okko.tv from the account's
e-mail, within two days of the letter being read. This composes that letter in Russian from
what the site's «Профиль» shows (the account's e-mail and phone), a Sber ID when given and
the reason; saves it as an `.eml` file (0600); sends it over SMTP when OKKO_SMTP_* settings
are given (STARTTLS, then login: a password never goes over a plain connection); and keeps
a receipt. Secrets (the SMTP and account passwords) never enter the letter or the receipt.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from automations.errors import ConfigurationError, SiteUnreachable
from automations.evidence import write_receipt
from automations.guides import store_pointer
from automations.home import LETTERS, DataHome
from automations.i18n import _
from automations.mail import (DEFAULT_REASON, DELETION_ADDRESS, SUBJECT, WITHIN, compose_letter, save_letter,
                              send_letter, smtp_summary)
from automations.pages import ProfilePage, SubscriptionsPage
from automations.settings import Settings
from automations.steps import StepLog
from flows.resilience import open_section

ACTION = "deletion-request"


def default_letter_path(home: DataHome) -> Path:
    return home.stamped(LETTERS, ACTION, ".eml")


@dataclass
class DeletionRequest:
    to: str
    sender: str
    subject: str
    body: str
    eml: str
    sent: bool
    smtp: dict[str, Any] | None
    account: dict[str, str]
    notes: list[str] = field(default_factory=list)
    action: str = ACTION
    receipt: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "deleted_within": _(WITHIN)}


def request_deletion(page: Page, steps: StepLog, *, settings: Settings, sber_id: str | None = None,
                     reason: str = DEFAULT_REASON, send: bool = True, eml_path: Path | None = None) -> DeletionRequest:
    """Reads «Подписки» (what still bills) and «Профиль» (the e-mail and phone), composes the
    letter, saves it, sends it when SMTP is set and `send`, and writes a receipt whose
    screenshot shows the profile page."""
    subs = open_section(steps, SubscriptionsPage(page), SubscriptionsPage.subscriptions, unless_shown=True)
    account = open_section(steps, ProfilePage(page), ProfilePage.contacts)
    notes = []
    for sub in subs:
        if sub.card_billed and sub.auto_renew:
            notes.append(_("«{name}» still renews: deleting the account may not stop it, so run `okko-cancel cancel` "
                           "first").format(name=sub.name))
        pointer = store_pointer(sub)
        if pointer:
            notes.append(_("{pointer} (deleting the OKKO account does not stop a store's billing)").format(
                pointer=pointer))
    sender = settings.smtp_from or account["email"]
    if sender.casefold() != account["email"].casefold():
        notes.append(_("the letter comes from {sender}, not the account's {email}: OKKO acts on a letter from the "
                       "account's e-mail").format(sender=sender, email=account["email"]))
    message = compose_letter(email=account["email"], phone=account["phone"], sber_id=sber_id, reason=reason,
                             sender=sender)
    path = save_letter(message, eml_path or default_letter_path(settings.home))
    sent = False
    if send and settings.smtp_host:
        with steps.step(_("Send the letter to {address}").format(address=DELETION_ADDRESS)):
            try:
                send_letter(message, settings)
            except (ConfigurationError, SiteUnreachable) as error:
                raise type(error)(_("{error} (the letter is saved in {path}: send it yourself)").format(
                    error=error, path=path)) from None
        sent = True
    elif settings.smtp_host:
        notes.append(_("dry run: the letter was saved, not sent"))
    else:
        notes.append(_("no OKKO_SMTP_HOST: send {path} yourself from {email} to {address}").format(
            path=path, email=account["email"], address=DELETION_ADDRESS))
    report = DeletionRequest(
        to=DELETION_ADDRESS, sender=sender, subject=SUBJECT, body=message.get_content(), eml=str(path), sent=sent,
        smtp=smtp_summary(settings), account=account, notes=notes,
    )
    document = report.to_dict()
    del document["action"], document["receipt"]
    document["site"] = settings.base_url
    document["steps"] = steps.to_list()
    report.receipt = str(write_receipt(settings.home, ACTION, document, page))
    return report
