"""`sign-out-devices`: sign out every other device (the bulk button), or one by name."""

from __future__ import annotations

from dataclasses import asdict

from playwright.sync_api import Page

from automations.errors import ConfigurationError, FlowFailed
from automations.pages import DevicesPage
from automations.steps import StepLog
from flows.report import ActionReport
from flows.resilience import change_with_read_back, load

ACTION = "sign-out-devices"
# The section the flow opens first: a run opens the settings there (see run_flow).
STARTS_ON = DevicesPage


def _sign_out(devices: DevicesPage, names: list[str], bulk: bool) -> bool:
    if bulk:
        devices.start_signing_out_all()
        accepted = devices.confirm_sign_out_all()
    else:
        devices.start_signing_out(names[0])
        accepted = devices.confirm_sign_out()
    if accepted:
        devices.device(names[0]).wait_for(state="hidden")
    return accepted


def _are_signed_out(devices: DevicesPage, names: list[str]) -> bool:
    load(devices, devices.reload)
    return not any(d.name in names and not d.current for d in devices.devices())


def sign_out_devices(page: Page, steps: StepLog, *, device: str | None = None, dry_run: bool = False) -> ActionReport:
    devices = DevicesPage(page)
    with steps.step("Открыть «Устройства»"):
        load(devices, devices.open_from_menu_unless_shown)
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
        names = [d.name for d in others]
        bulk = device is None
        with steps.step("Выйти на всех устройствах" if bulk else f"Отключить «{names[0]}»"):
            if dry_run:
                devices.start_signing_out_all() if bulk else devices.start_signing_out(names[0])
                devices.cancel_sign_out_all() if bulk else devices.cancel_sign_out()
            else:
                change_with_read_back(
                    act=lambda: _sign_out(devices, names, bulk),
                    is_done=lambda: _are_signed_out(devices, names),
                    what="signing out " + ("every other device" if bulk else f"«{names[0]}»"),
                )
        report.changed.extend(d.name for d in others)
    with steps.step("Проверить «Устройства» после перезагрузки"):
        load(devices, devices.reload)
        after = devices.devices()
    report.after = {"devices": [asdict(d) for d in after]}
    left = [d.name for d in after if not d.current and d.name in report.changed]
    if not dry_run and left:
        raise FlowFailed("Проверить «Устройства» после перезагрузки", f"«{left[0]}»", "the device is still signed in after the reload")
    return report
