"""/settings and its sections: «Подписки», «Оплата услуг», «Устройства», «Профиль».

The sections render in the browser after the page loads, so every query waits for the
loading skeleton to go first. Cards are found by role and accessible name, which both
layouts share: an article (classic) or a list item (redesign) named after the plan or
card; a device is a list item or a table row named after the device.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from automations.errors import SessionExpired
from automations.models import Card, Device, Subscription

DATE = r"(\d{2}\.\d{2}\.\d{4})"
# How often a reload may be overtaken by the site's own redirect before it counts as an error.
REDIRECT_RACE_ATTEMPTS = 6
# How Playwright says that a reload lost that race.
OVERTAKEN = ("ERR_ABORTED", "interrupted by another navigation", "Not attached to an active page")
SERVER_ERROR = re.compile(r"временно недоступен|Слишком много запросов|пошло не так", re.IGNORECASE)


def iso_date(text: str | None) -> str | None:
    if not text:
        return None
    day, month, year = text.split(".")
    return f"{year}-{month}-{day}"


def _search(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1) if match else None


class SettingsMenu:
    """The settings navigation: a side menu (classic) or tabs on top (redesign)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.nav = page.get_by_role("navigation", name="Настройки")
        self.logout_button = page.get_by_role("button", name="Выйти", exact=True)

    def link(self, title: str) -> Locator:
        return self.nav.get_by_role("link", name=title, exact=True)

    def open(self, title: str) -> None:
        self.link(title).click()

    def logout(self) -> None:
        self.logout_button.click()


class SettingsSection:
    """What every section shares: its menu title, path, and the wait for client rendering."""

    TITLE = ""
    PATH = ""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.menu = SettingsMenu(page)
        self.heading = page.get_by_role("heading", name=self.TITLE, exact=True, level=1)
        self.skeleton = page.get_by_role("progressbar", name="Загрузка")
        self.load_error = page.get_by_role("alert").filter(has_text="Не удалось загрузить данные")
        # What shows instead of the section: the site's error page, or the login page
        # when the session has ended.
        self.error_page = page.get_by_role("heading", level=1, name=SERVER_ERROR)
        self.login_heading = page.get_by_role("heading", name="Войдите или зарегистрируйтесь")
        self.retry_button = page.get_by_role("button", name="Повторить")
        self.toasts = page.get_by_role("status").filter(has_text=re.compile(r"\S"))

    def open(self) -> None:
        """Goes to the section directly (the flows use the menu, like a person)."""
        self.page.goto(self.PATH)
        self.wait_loaded()

    def open_from_menu_unless_shown(self) -> None:
        """For a flow's first step: when the run started on this section, its page was just
        loaded, so only its data is waited for; anywhere else, the section opens from the menu.
        (Later steps open from the menu always: a section shown since a change is stale.)"""
        if self.heading.is_visible():
            self.wait_loaded()
        else:
            self.open_from_menu()

    def open_from_menu(self) -> None:
        # Wait for the click's navigation to load: until then the page being left (the same
        # section on a second run, or a new document still parsing, before its skeleton
        # exists) can pass for a loaded section and be read as empty.
        with self.page.expect_navigation():
            self.menu.open(self.TITLE)
        self.wait_loaded()

    def reload(self) -> None:
        for attempt in range(REDIRECT_RACE_ATTEMPTS):
            try:
                if attempt == 0:
                    self.page.reload()
                else:
                    # Our own navigation to where the page is now wins over the site's.
                    self.page.goto(self.page.url)
                break
            except PlaywrightError as error:
                # The site navigated away by itself (to /login, when the session ended), which
                # aborts a reload, or left the page the reload was sent to ("not attached");
                # waiting for "load" could still see the old document.
                overtaken = any(sign in str(error) for sign in OVERTAKEN)
                if not overtaken or attempt == REDIRECT_RACE_ATTEMPTS - 1:
                    raise
        self.wait_loaded()

    def wait_loaded(self) -> None:
        """Waits for the section's data, an error in its place, or the login page (which
        raises SessionExpired); `load_failure()` then says whether the data came."""
        self.heading.or_(self.error_page).or_(self.login_heading).first.wait_for()
        if self.login_heading.is_visible():
            raise SessionExpired(self.TITLE)
        if self.error_page.is_visible():
            return
        # The heading shows while the stylesheet may still be on its way (after a login's
        # redirect, say), and without it the skeleton has no size and passes for gone: the
        # section would be read as empty. So the document loads first (at once when it has).
        self.page.wait_for_load_state()
        self.skeleton.wait_for(state="hidden")

    def load_failure(self) -> str | None:
        """Why the section shows no data (the error's text), or None when it loaded."""
        for failure in (self.error_page, self.load_error):
            if failure.is_visible():
                return failure.first.inner_text().strip().splitlines()[0]
        return None

    def has_load_error(self) -> bool:
        return self.load_failure() is not None

    def submit(self, button: Locator) -> bool:
        """Clicks a button that sends a change to the site; True when the site answered that
        request with success. False covers an error status and no answer at all."""
        with self.page.expect_request(lambda request: request.method != "GET") as sent:
            button.click()
        response = sent.value.response()
        return response is not None and response.ok

    def wait_for_toast(self, text: str) -> None:
        self.page.get_by_role("status").get_by_text(text).first.wait_for()

    def dialog(self, title: str | re.Pattern[str]) -> Locator:
        return self.page.get_by_role("dialog", name=title)

    @staticmethod
    def reveal(card: Locator, action: Locator) -> Locator:
        """Opens the card's «⋯» menu when the action hides behind it (the redesign)."""
        if not action.is_visible():
            more = card.get_by_role("button", name="Ещё", exact=True)
            if more.count():
                more.click()
        return action


def _cards(page: Page, name: str | None = None) -> Locator:
    main = page.get_by_role("main")
    if name is None:
        return main.get_by_role("article").or_(main.get_by_role("listitem"))
    return main.get_by_role("article", name=name, exact=True).or_(main.get_by_role("listitem", name=name, exact=True))


class SubscriptionsPage(SettingsSection):
    TITLE = "Подписки"
    PATH = "/settings/subscriptions"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.retention_dialog = self.dialog(re.compile(r"^Подождите"))
        self.survey_dialog = self.dialog(re.compile(r"Почему"))
        self.confirm_dialog = self.dialog("Вы уверены?")

    def card(self, name: str) -> Locator:
        return _cards(self.page, name)

    def names(self) -> list[str]:
        return [c.get_by_role("heading").first.inner_text().strip() for c in _cards(self.page).all()]

    def subscriptions(self) -> list[Subscription]:
        return [self._read(card) for card in _cards(self.page).all()]

    def _read(self, card: Locator) -> Subscription:
        name = card.get_by_role("heading").first.inner_text().strip()
        text = card.inner_text()
        store = _search(r"Оплата через ([^\n]+)", text)
        return Subscription(
            name=name,
            price=_search(r"(\d[\d\s]*₽/мес)", text) or "",
            auto_renew="Автопродление отключено" not in text,
            next_charge=iso_date(_search(r"Следующее списание " + DATE, text)),
            active_until=iso_date(_search(r"Активна до " + DATE, text) or _search(r"Следующее списание " + DATE, text)),
            billed=_search(r"(Оплата [^\n]+|Карта не привязана[^\n]*)", text) or "",
            store=store.strip() if store else None,
            manage_hint=_search(r"(Управляйте подпиской[^\n]+)", text),
        )

    def disable_auto_renew_button(self, name: str) -> Locator:
        return self.card(name).get_by_role("button", name="Отключить автопродление")

    def start_disabling(self, name: str) -> None:
        card = self.card(name)
        self.reveal(card, self.disable_auto_renew_button(name)).click()

    # The retention path, one dialog at a time. There is deliberately no verb that accepts
    # the retention offer: an automation must never take it.
    def decline_offer(self) -> None:
        self.retention_dialog.get_by_role("button", name="Всё равно отключить").click()

    def answer_survey(self, reason: str = "Другое") -> None:
        self.survey_dialog.get_by_role("radio", name=reason).check()
        self.survey_dialog.get_by_role("button", name="Продолжить").click()

    def skip_survey(self) -> None:
        self.survey_dialog.get_by_role("button", name="Пропустить").click()

    def confirm_disable(self) -> bool:
        return self.submit(self.confirm_dialog.get_by_role("button", name="Отключить", exact=True))

    def keep_subscription(self) -> None:
        self.confirm_dialog.get_by_role("button", name="Оставить подписку").click()


class PaymentsPage(SettingsSection):
    TITLE = "Оплата услуг"
    PATH = "/settings/payments"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.no_cards = page.get_by_text("Нет привязанных карт")
        self.bind_button = page.get_by_role("button", name="Привязать карту")
        self.unbind_dialog = self.dialog("Отвязать карту?")
        self.history = page.get_by_role("table")

    def cards(self) -> list[Card]:
        if self.no_cards.is_visible():
            return []
        cards = []
        for tile in _cards(self.page).all():
            text = tile.inner_text()
            label = _search(r"([^\n]+ •••• \d{4})", text)
            if label:
                cards.append(Card(label=label.strip(), primary="Основная" in text))
        return cards

    def card(self, label: str) -> Locator:
        return _cards(self.page, label)

    def unbind_button(self, label: str) -> Locator:
        return self.card(label).get_by_role("button", name="Отвязать карту")

    def start_unbinding(self, label: str) -> None:
        self.reveal(self.card(label), self.unbind_button(label)).click()
        self.unbind_dialog.wait_for()

    def confirm_unbind(self) -> bool:
        return self.submit(self.unbind_dialog.get_by_role("button", name="Отвязать", exact=True))

    def cancel_unbind(self) -> None:
        self.unbind_dialog.get_by_role("button", name="Отмена").click()

    def payments(self) -> list[dict[str, str]]:
        rows = self.history.get_by_role("row").all()[1:]
        result = []
        for row in rows:
            cells = [c.inner_text().strip() for c in row.get_by_role("cell").all()]
            if len(cells) == 4:
                result.append(
                    {"date": iso_date(cells[0]) or "", "description": cells[1], "amount": cells[2], "status": cells[3]}
                )
        return result


class DevicesPage(SettingsSection):
    TITLE = "Устройства"
    PATH = "/settings/devices"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        main = page.get_by_role("main")
        self.rows = main.get_by_role("listitem").or_(main.get_by_role("row"))
        self.counter = page.get_by_text(re.compile(r"^\d+ из \d+$"))
        self.sign_out_all_button = page.get_by_role("button", name="Выйти на всех устройствах")
        self.sign_out_all_dialog = self.dialog("Выйти на всех устройствах?")
        self.sign_out_dialog = self.dialog("Отключить устройство?")

    def devices(self) -> list[Device]:
        devices = []
        for row in self.rows.all():
            text = row.inner_text()
            devices.append(
                Device(
                    # The name leads the row in both layouts (a line, or the first cell).
                    name=re.split(r"[\n\t]", text.strip())[0].strip(),
                    last_seen=iso_date(_search(r"Последний вход " + DATE, text)),
                    current="Текущее устройство" in text,
                )
            )
        return devices

    def device(self, name: str) -> Locator:
        main = self.page.get_by_role("main")
        return main.get_by_role("listitem", name=name, exact=True).or_(main.get_by_role("row", name=name, exact=True))

    def start_signing_out(self, name: str) -> None:
        self.device(name).get_by_role("button", name="Отключить", exact=True).click()
        self.sign_out_dialog.wait_for()

    def confirm_sign_out(self) -> bool:
        return self.submit(self.sign_out_dialog.get_by_role("button", name="Отключить", exact=True))

    def cancel_sign_out(self) -> None:
        self.sign_out_dialog.get_by_role("button", name="Отмена").click()

    def start_signing_out_all(self) -> None:
        self.sign_out_all_button.click()
        self.sign_out_all_dialog.wait_for()

    def confirm_sign_out_all(self) -> bool:
        return self.submit(self.sign_out_all_dialog.get_by_role("button", name="Выйти", exact=True))

    def cancel_sign_out_all(self) -> None:
        self.sign_out_all_dialog.get_by_role("button", name="Отмена").click()


class ProfilePage(SettingsSection):
    TITLE = "Профиль"
    PATH = "/settings/profile"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.facts = page.get_by_role("main").get_by_role("definition")
        self.deletion_heading = page.get_by_role("heading", name="Удаление аккаунта")
        self.deletion_link = page.get_by_role("link", name="mail@okko.tv")

    def contacts(self) -> dict[str, str]:
        values = [v.inner_text().strip() for v in self.facts.all()]
        return {"email": values[0] if values else "", "phone": values[1] if len(values) > 1 else ""}


SectionFactory = Callable[[Page], SettingsSection]
