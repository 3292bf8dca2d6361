"""Every command, once: what it runs, where its flow starts, whether it changes the account,
opens a browser, keeps a receipt, and runs in `batch` or `check`. The CLI, `batch`, `check`,
the warm start and the tests all read it; a new flow is a line here and a command in cli.py.

Importing this module imports no flow and no Playwright: the warm start reads it before
anything else has loaded. A flow's function and the section it starts on are looked up by
name when a run needs them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from automations.pages import SettingsSection


@dataclass(frozen=True)
class Command:
    name: str
    # It opens a browser in this process (so the warm start starts Playwright's driver early).
    browser: bool
    # "module:function" of its flow, which takes (page, steps, **options).
    flow: str | None = None
    # The page object of the settings section the flow opens first: the run opens the
    # settings there, so the flow's first step finds it shown.
    starts_on: str | None = None
    changes: bool = False
    # Each run keeps a receipt under receipts/, named after the command.
    receipt: bool = False
    # `batch` can run it for many accounts.
    batch: bool = False
    # `check` walks it dry every morning.
    checked: bool = False

    def function(self) -> Callable[..., Any]:
        if self.flow is None:
            raise LookupError(f"{self.name} runs no single flow")
        module, _, name = self.flow.partition(":")
        function: Callable[..., Any] = getattr(importlib.import_module(module), name)
        return function

    def section(self) -> type[SettingsSection] | None:
        if self.starts_on is None:
            return None
        from automations import pages

        section: type[SettingsSection] = getattr(pages, self.starts_on)
        return section


COMMANDS: dict[str, Command] = {command.name: command for command in (
    Command("login", browser=True),
    Command("logout", browser=False),
    Command("status", browser=True, flow="flows.status:read_state", starts_on="SubscriptionsPage", batch=True),
    # In the order `cancel` and `check` go: renewals stop first, while a card still pays for nothing new.
    Command("disable-auto-renew", browser=True, flow="flows.auto_renew:disable_auto_renew",
            starts_on="SubscriptionsPage", changes=True, receipt=True, batch=True, checked=True),
    Command("unbind-card", browser=True, flow="flows.unbind_card:unbind_cards", starts_on="PaymentsPage",
            changes=True, receipt=True, batch=True, checked=True),
    Command("sign-out-devices", browser=True, flow="flows.devices:sign_out_devices", starts_on="DevicesPage",
            changes=True, receipt=True, batch=True, checked=True),
    # It begins by turning auto-renew off.
    Command("cancel", browser=True, flow="flows.cancel:cancel_everything", starts_on="SubscriptionsPage",
            changes=True, receipt=True, batch=True),
    Command("check", browser=True),
    # check's walk, every settings tab besides, into a zip of redacted snapshots and masked screenshots.
    Command("capture", browser=True, flow="flows.capture:capture_pages"),
    Command("guide", browser=False),
    Command("refund-check", browser=True, flow="flows.refund:check_refund", starts_on="ProfilePage", receipt=True),
    # Reads «Основные» (for the hotline's words), «Подписки», then «Оплата услуг»: the pack shows it.
    Command("watch", browser=True, flow="flows.watch:watch_account", starts_on="ProfilePage", receipt=True),
    Command("deletion-request", browser=True, flow="flows.deletion:request_deletion", starts_on="SubscriptionsPage",
            changes=True, receipt=True),
    # Its workers start their own browsers, in threads of their own.
    Command("batch", browser=False),
    # `cancel` on the bundled mock site, then the account as `status` shows it.
    Command("demo", browser=True, flow="flows.cancel:cancel_then_read_state", starts_on="SubscriptionsPage",
            changes=True, receipt=True),
    Command("mock-site", browser=False),
    Command("locators", browser=False),
    # Reads check's history.sqlite.
    Command("history", browser=False),
    # Reads a receipt's files and its SHA-256 manifest.
    Command("verify-receipt", browser=False),
    # `session export` and `session import`: the saved session as one line, for a CI secret.
    Command("session", browser=False),
)}

BROWSER_COMMANDS = frozenset(name for name, command in COMMANDS.items() if command.browser)
BATCH_COMMANDS = tuple(name for name, command in COMMANDS.items() if command.batch)
CHECKED_COMMANDS = tuple(name for name, command in COMMANDS.items() if command.checked)
