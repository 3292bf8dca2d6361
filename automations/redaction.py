"""Personal data out of anything a person may share: e-mails, phones, card digits, dates,
amounts, account numbers and device names become placeholders (<email>, <phone>, <card>,
<date>, <amount>, <number>, <device>).

Everything the tool writes for others to read goes through here: `check`'s ARIA snapshots,
baselines and reports (automations/baselines.py, flows/check.py), `capture`'s zip
(flows/capture.py).

Screenshots are masked (`masked_screenshot`): Playwright paints a box over each element that
shows such data (`page.screenshot(mask=...)`), found by the same shapes and by role.

Text is redacted by its shape. Device names have none (a device is «iPhone 13» or «Chrome,
Linux»), so they are learnt from where the site lists them: the names of the list items (or
table rows) in «Мои устройства», by their role and place, never from a list of known names.
A redactor that has read that section redacts those names wherever they show up later (the
unlink dialog: «Samsung Smart TV» выйдет из аккаунта).

    redactor = Redactor()
    redactor.learn_devices(devices_snapshot)
    redactor.text("«iPhone 13» выйдет из аккаунта 13 декабря")   # «<device>» выйдет из аккаунта <date>
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit
from typing import TYPE_CHECKING, Any

from automations.aria_tree import parse_snapshot, walk
from automations.dates import DATE

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A digit, or what a site masks one with (+7 999 ***-**-67).
_D = r"[\d*•xX]"
PHONE = re.compile(rf"(?<![\w+])(?:\+\d{{1,3}}|8)[\s(-]*{_D}{{3}}[\s)-]*{_D}{{3}}[\s-]*{_D}{{2}}[\s-]*{_D}{{2}}"
                   r"(?![\d*•])")
FULL_CARD = re.compile(r"(?<!\d)(?:\d{4}[\s-]?){3}\d{4}(?!\d)|(?<!\d)\d{6}[*•xX]{2,6}\d{4}(?!\d)")
# The last digits after a mask (•••• 4242, •• 4242, **** 4242, *4242): the mask stays.
MASKED_DIGITS = re.compile(r"(?<=[•*·∙●xX])(\s?)\d{4}(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?!\d)")
SITE_DATE = re.compile(DATE)
AMOUNT = re.compile(r"(?<![\w<])\d[\d\s\u00a0\u202f]*(?:[.,]\d{1,2})?\s?(?:₽|руб\.?|р\.(?!\w))")
# Account numbers, contract numbers: any run of five digits or more left after the above.
NUMBER = re.compile(r"(?<![\w<])\d{5,}(?![\w>])")

PLACEHOLDERS = ("<email>", "<phone>", "<card>", "<date>", "<amount>", "<number>", "<device>")
# Where a device's own line ends and the site's words about it begin, for a list item the
# site gave no accessible name: «Samsung Smart TV 30 ноября · Телевизор».
_DEVICE_TAIL = re.compile(DATE + r"|·|Последний|Текущ|Это устройство|это устройство")
DEVICE_ROLES = ("listitem", "row")


def redact_text(text: str, devices: Iterable[str] = ()) -> str:
    """`text` with personal data replaced by placeholders; `devices`: names to replace too."""
    for name in sorted({d for d in devices if d.strip()}, key=len, reverse=True):
        text = text.replace(name, "<device>")
    text = EMAIL.sub("<email>", text)
    text = FULL_CARD.sub("<card>", text)
    text = MASKED_DIGITS.sub(lambda match: f"{match.group(1)}<card>", text)
    text = PHONE.sub("<phone>", text)
    text = ISO_DATE.sub("<date>", text)
    text = SITE_DATE.sub("<date>", text)
    text = AMOUNT.sub("<amount>", text)
    return NUMBER.sub("<number>", text)


def redact_url(url: str, devices: Iterable[str] = ()) -> str:
    """A URL with its path, query and fragment redacted; the host and port stay (a port is no
    account number)."""
    parts = urlsplit(url)
    if not parts.netloc:
        return redact_text(url, devices)
    return urlunsplit((parts.scheme, parts.netloc, *(redact_text(part, devices) for part in parts[2:])))


def device_names(snapshot: str) -> list[str]:
    """The device names in an ARIA snapshot of the devices section: each list item's (or table
    row's) accessible name; an item without one gives the start of its first text."""
    names: list[str] = []
    for node in walk(parse_snapshot(snapshot)):
        if node.role not in DEVICE_ROLES or any(child.role == "columnheader" for child in node.children):
            continue
        if node.name:
            names.append(node.name)
            continue
        first = node.value or next((c.name or c.value for c in node.children if c.name or c.value), "")
        head = _DEVICE_TAIL.split(first, maxsplit=1)[0].strip(" ,·")
        if head:
            names.append(head)
    return names


class Redactor:
    """Redacts text, snapshots and documents alike; remembers the device names it has learnt."""

    def __init__(self) -> None:
        self.devices: set[str] = set()

    def learn_devices(self, snapshot: str) -> None:
        self.devices.update(device_names(snapshot))

    def text(self, text: str) -> str:
        return redact_text(text, self.devices)

    def document(self, value: Any, *, keep: frozenset[str] = frozenset()) -> Any:
        """Every string in a JSON-like value redacted, but for the values of the keys in `keep`
        (file paths, times the tool itself wrote); a "url" as a URL."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: v if k in keep else redact_url(v, self.devices) if k == "url" and isinstance(v, str)
                    else self.document(v, keep=keep) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.document(v, keep=keep) for v in value]
        return value


def personal_fields(page: Page, devices: Iterable[str] = (), *, within: Locator | None = None) -> list[Locator]:
    """What shows personal data on the page (or `within` an element of it): text fields
    (e-mail, phone, and any password), text of the shapes above, the `devices` named anywhere
    (a dialog that names the device it unlinks), and on a whole page the device rows of «Мои
    устройства» and the header's avatar."""
    from automations.dates import MASKED_CARD
    from automations.pages import DevicesPage, Header

    scope: Page | Locator = within if within is not None else page
    shapes = [EMAIL, PHONE, FULL_CARD, MASKED_CARD, ISO_DATE, SITE_DATE, AMOUNT, NUMBER]
    fields = [scope.get_by_role("textbox"), scope.locator("input[type=password]")]
    fields += [scope.get_by_text(shape) for shape in shapes]
    fields += [scope.get_by_text(name) for name in sorted(set(devices)) if name.strip()]
    if within is None:
        fields += [DevicesPage(page).rows, Header(page).profile_button]
    return fields


def masked_screenshot(page: Page, devices: Iterable[str] = (), *, element: Locator | None = None) -> bytes | None:
    """The whole page (or only `element`, a dialog), personal data masked; None when the
    browser cannot take it."""
    from playwright.sync_api import Error as PlaywrightError

    # Masks are painted over wherever their elements are, the page behind a dialog too: an
    # element's picture masks only what is inside it.
    mask = personal_fields(page, devices, within=element)
    try:
        if element is not None:
            return element.screenshot(mask=mask, animations="disabled")
        return page.screenshot(full_page=True, mask=mask, animations="disabled")
    except PlaywrightError:
        return None
