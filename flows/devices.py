"""`sign-out-devices`: sign out every other device (the bulk button), or one by name."""

from __future__ import annotations

from dataclasses import asdict

from playwright.sync_api import Page

from automations.errors import ConfigurationError, FlowFailed
from automations.pages import DevicesPage
from automations.steps import StepLog
from flows.report import ActionReport

ACTION = "sign-out-devices"


def sign_out_devices(page: Page, steps: StepLog, *, device: str | None = None, dry_run: bool = False) -> ActionReport:
    devices = DevicesPage(page)
    with steps.step("Открыть «Устройства»"):
        devices.open_from_menu()
        before = devices.devices()
    others = [d for d in before if not d.current]
    if device is not None:
        wanted = device.strip().casefold()
        named = [d for d in before if d.name.casefold() == wanted]
        if not named:
            names = ", ".join(f"«{d.name}»" for d in others) or "none"
            raise ConfigurationError(f"no device named «{device}» (other devices: {names})")
        if all(d.current for d in named):
            raise ConfigurationError(f"«{device}» is the device this tool is using: it cannot sign itself out")
        others = [d for d in named if not d.current]
    report = ActionReport(ACTION, dry_run, before={"devices": [asdict(d) for d in before]})
    if others:
        if device is None:
            with steps.step("Выйти на всех устройствах"):
                devices.start_signing_out_all()
                if dry_run:
                    devices.cancel_sign_out_all()
                else:
                    devices.confirm_sign_out_all()
                    devices.sign_out_all_dialog.wait_for(state="hidden")
                    devices.device(others[0].name).wait_for(state="hidden")
        else:
            with steps.step(f"Отключить «{others[0].name}»"):
                devices.start_signing_out(others[0].name)
                if dry_run:
                    devices.cancel_sign_out()
                else:
                    devices.confirm_sign_out()
                    devices.device(others[0].name).wait_for(state="hidden")
        report.changed.extend(d.name for d in others)
    with steps.step("Проверить «Устройства» после перезагрузки"):
        devices.reload()
        after = devices.devices()
    report.after = {"devices": [asdict(d) for d in after]}
    left = [d.name for d in after if not d.current and d.name in report.changed]
    if not dry_run and left:
        raise FlowFailed("Проверить «Устройства» после перезагрузки", f"«{left[0]}»", "the device is still signed in after the reload")
    return report
