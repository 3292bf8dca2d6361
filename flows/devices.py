"""`sign-out-devices`: sign out every other device, or the other devices of one name.

Devices are told apart by their rows, never by their names: two rows may both say «Chrome,
Linux», one of them the browser this tool runs in. The row marked as the current device is
never unlinked, whatever buttons it shows. Where the site has a bulk «Выйти на всех
устройствах» (which keeps the current device by itself) it is used; elsewhere (okko.tv) each
other row is unlinked in turn, the list read again after each change.
"""

from __future__ import annotations

from dataclasses import asdict

from playwright.sync_api import Page

from automations.errors import ConfigurationError, FlowFailed
from automations.i18n import _
from automations.observation import observe
from automations.models import Device
from automations.pages import DevicesPage
from automations.steps import StepLog
from automations.models import ActionReport
from flows.resilience import change_with_read_back, load, open_section, read_after_reload

ACTION = "sign-out-devices"


def _is_target(device: Device, wanted: str | None) -> bool:
    return not device.current and (wanted is None or device.name.casefold() == wanted)


def _targets_left(devices: DevicesPage, wanted: str | None) -> int:
    return sum(_is_target(d, wanted) for d in devices.devices())


def _start_signing_out_all(devices: DevicesPage) -> None:
    devices.start_signing_out_all()
    observe("devices.sign_out_all_dialog", devices.sign_out_all_dialog)


def _start_unlinking(devices: DevicesPage, index: int) -> None:
    devices.start_unlinking(index)
    observe("devices.unlink_dialog", devices.unlink_dialog)


def _sign_out_all(devices: DevicesPage) -> bool:
    _start_signing_out_all(devices)
    if not devices.confirm_sign_out_all():
        return False
    devices.sign_out_all_dialog.wait_for(state="hidden")
    return True


def _unlink_row(devices: DevicesPage, index: int, rows: int) -> bool:
    """Unlinks the row at `index`, after making sure it is still a row that may go."""
    if devices.devices()[index].current:
        raise FlowFailed(_("Unlink a device"), _("the current device's row"),
                         _("the list changed under the flow: it refuses to unlink the device it runs on"))
    _start_unlinking(devices, index)
    if not devices.confirm_unlink():
        return False
    devices.wait_for_count(rows - 1)
    return True


def _reloaded_count(devices: DevicesPage, wanted: str | None) -> int:
    load(devices, devices.reload)
    return _targets_left(devices, wanted)


def _unlink_each(devices: DevicesPage, wanted: str | None) -> None:
    while True:
        listed = devices.devices()
        index = next((i for i, d in enumerate(listed) if _is_target(d, wanted)), None)
        if index is None:
            return
        left, rows = sum(_is_target(d, wanted) for d in listed), len(listed)
        change_with_read_back(
            act=lambda index=index, rows=rows: _unlink_row(devices, index, rows),
            is_done=lambda left=left: _reloaded_count(devices, wanted) < left,
            what=_("unlinking «{device}»").format(device=listed[index].name),
        )


def _chosen(before: list[Device], device: str | None) -> list[Device]:
    if device is None:
        return [d for d in before if not d.current]
    wanted = device.strip().casefold()
    named = [d for d in before if d.name.casefold() == wanted]
    if not named:
        names = ", ".join(f"«{d.name}»" for d in before if not d.current) or _("none")
        raise ConfigurationError(_("no device named «{device}» (other devices: {names})").format(
            device=device, names=names))
    if all(d.current for d in named):
        raise ConfigurationError(_("«{device}» is the device this tool is using: it cannot sign itself out").format(
            device=device))
    return [d for d in named if not d.current]


def sign_out_devices(page: Page, steps: StepLog, *, device: str | None = None, dry_run: bool = False) -> ActionReport:
    devices = DevicesPage(page)
    before = open_section(steps, devices, DevicesPage.devices, unless_shown=True)
    targets = _chosen(before, device)
    wanted = device.strip().casefold() if device is not None else None
    report = ActionReport(ACTION, dry_run, before={"devices": [asdict(d) for d in before]})
    if targets:
        bulk = device is None and devices.has_bulk_sign_out()
        name = _("Sign out on every device") if bulk else (
            _("Unlink the other devices") if device is None
            else _("Unlink «{device}»").format(device=targets[0].name))
        with steps.step(name):
            if dry_run:
                _back_out(devices, before, wanted, bulk)
            elif bulk:
                change_with_read_back(act=lambda: _sign_out_all(devices),
                                      is_done=lambda: _reloaded_count(devices, None) == 0,
                                      what=_("signing out every other device"))
            else:
                _unlink_each(devices, wanted)
        report.changed.extend(d.name for d in targets)
    check, after = read_after_reload(steps, devices, DevicesPage.devices)
    report.after = {"devices": [asdict(d) for d in after]}
    left = [d.name for d in after if _is_target(d, wanted)]
    if not dry_run and left:
        raise FlowFailed(check, f"«{left[0]}»", _("the device is still signed in after the reload"))
    return report


def _back_out(devices: DevicesPage, before: list[Device], wanted: str | None, bulk: bool) -> None:
    """A dry run opens the dialog that would sign a device out, and cancels it."""
    if bulk:
        _start_signing_out_all(devices)
        devices.cancel_sign_out_all()
        return
    _start_unlinking(devices, next(i for i, d in enumerate(before) if _is_target(d, wanted)))
    devices.cancel_unlink()
