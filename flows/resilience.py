"""How the flows come through a struggling site: a section that fails to load is reloaded
with backoff; a change whose request failed or got no answer is read back from the site,
and sent again only when the read-back shows it was not done."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from automations.errors import SiteUnreachable
from automations.i18n import _
from automations.observation import observe, section_key
from automations.pages.devices import DevicesPage
from automations.pages.settings import SettingsSection
from automations.retry import Backoff, pause
from automations.steps import StepLog

S = TypeVar("S", bound=SettingsSection)
T = TypeVar("T")

BACKOFF = Backoff()


def load(section: SettingsSection, how: Callable[[], None], backoff: Backoff = BACKOFF) -> None:
    """Opens the section with `how` (menu or reload); reloads it while the site fails. A
    section that loaded is observed (automations/observation.py: check's snapshots)."""
    how()
    pauses = backoff.pauses()
    while (failure := section.load_failure()) is not None:
        delay = next(pauses, None)
        if delay is None:
            raise SiteUnreachable(_("«{section}» kept failing to load after {attempts} attempts («{failure}»)").format(
                section=section.title, attempts=backoff.attempts, failure=failure))
        pause(delay)
        section.reload()
    observe(section_key(section.PATH), section.main, kind="section", title=section.title,
            devices=isinstance(section, DevicesPage))


def open_section(steps: StepLog, section: S, read: Callable[[S], T], *, unless_shown: bool = False) -> T:
    """The step «Open <section>» a flow reads the account in: the section opened from the menu
    (`unless_shown`: not when the page already shows it, as where a run starts on it) and
    what `read` reads there."""
    with steps.step(_("Open «{section}»").format(section=section.title)):
        load(section, section.open_from_menu_unless_shown if unless_shown else section.open_from_menu)
        return read(section)


def read_after_reload(steps: StepLog, section: S, read: Callable[[S], T]) -> tuple[str, T]:
    """The step every change ends with, «Check <section> after a reload»: its name (for the
    failure a flow finds in what it read) and what `read` reads from the reloaded section."""
    check = _("Check «{section}» after a reload").format(section=section.title)
    with steps.step(check):
        load(section, section.reload)
        return check, read(section)


def change_with_read_back(
    *, act: Callable[[], bool], is_done: Callable[[], bool], what: str, backoff: Backoff = BACKOFF
) -> None:
    """`act` sends the change and says whether the site confirmed it; `is_done` reloads and
    reads the state. A change is never sent twice once the site has it."""
    pauses = backoff.pauses()
    while True:
        if act():
            return
        try:
            if is_done():
                return
        except SiteUnreachable:
            raise SiteUnreachable(
                _("{what}: the site did not confirm it and the state could not be read back, so whether it happened "
                  "is unknown; check the site (or run `okko-cancel status`) before running again").format(what=what)
            ) from None
        delay = next(pauses, None)
        if delay is None:
            raise SiteUnreachable(_("{what}: the site kept failing after {attempts} attempts; it was not done").format(
                what=what, attempts=backoff.attempts))
        pause(delay)
