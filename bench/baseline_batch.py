"""The yardstick for a batch: a minimal hand-written Playwright script that cancels each
account of a CSV in turn, as a new process.

    OKKO_BASE_URL=http://127.0.0.1:8800 python bench/baseline_batch.py ACCOUNTS.csv [BROWSER]

One browser; per account (the CSV's `login,password` rows) a fresh context that logs in at
/login, and does the clicks `cancel` does on a `crowd` account: turn auto-renew off
through the retention offer, the survey and the confirmation; unbind the card; sign out
every other device; each section reloaded once the change is made, as `cancel` reads it
back. No step log, no reading of the state, no receipt, no screenshot, no retries: the CPU
it takes per account is what any tool pays for the same pages and clicks, so it bounds any
batch's throughput on the machine from above. It imports only Playwright.
"""

import csv
import os
import sys

from playwright.sync_api import Page, sync_playwright


def log_in(page: Page, login: str, password: str) -> None:
    page.goto("/login?next=/settings/subscriptions")
    page.get_by_role("button", name="Принять").click()
    page.get_by_label("Электронная почта или телефон").fill(login)
    page.get_by_role("button", name="Продолжить").click()
    page.get_by_label("Пароль", exact=True).fill(password)
    page.get_by_role("button", name="Войти", exact=True).click()
    page.get_by_role("heading", name="Подписки", level=1).wait_for()


def open_section(page: Page, title: str) -> None:
    page.get_by_role("navigation", name="Настройки").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title, level=1).wait_for()


def reload(page: Page) -> None:
    page.reload()
    page.get_by_role("progressbar", name="Загрузка").wait_for(state="hidden")


def cancel(page: Page) -> None:
    page.get_by_role("progressbar", name="Загрузка").wait_for(state="hidden")
    page.get_by_role("button", name="Отключить автопродление").click()
    page.get_by_role("button", name="Всё равно отключить").click()
    survey = page.get_by_role("dialog", name="Почему")
    survey.get_by_role("radio", name="Другое").check()
    survey.get_by_role("button", name="Продолжить").click()
    page.get_by_role("dialog", name="Вы уверены?").get_by_role("button", name="Отключить", exact=True).click()
    page.get_by_role("status").get_by_text("Автопродление отключено").wait_for()
    reload(page)

    open_section(page, "Оплата услуг")
    page.get_by_role("button", name="Отвязать карту").click()
    page.get_by_role("dialog", name="Отвязать карту?").get_by_role("button", name="Отвязать", exact=True).click()
    page.get_by_text("Нет привязанных карт").wait_for()
    reload(page)

    open_section(page, "Устройства")
    page.get_by_role("button", name="Выйти на всех устройствах").click()
    page.get_by_role("dialog", name="Выйти на всех устройствах?").get_by_role("button", name="Выйти", exact=True).click()
    page.get_by_role("main").get_by_text("iPhone 13").wait_for(state="hidden")
    reload(page)


def main() -> int:
    base_url = os.environ["OKKO_BASE_URL"]
    with open(sys.argv[1], newline="", encoding="utf-8") as handle:
        accounts = [(row["login"], row["password"]) for row in csv.DictReader(handle)]
    executable = sys.argv[2] if len(sys.argv) > 2 else None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable)
        for login, password in accounts:
            context = browser.new_context(base_url=base_url, locale="ru-RU")
            page = context.new_page()
            log_in(page, login, password)
            cancel(page)
            context.close()
        browser.close()
    print(f"cancelled {len(accounts)} accounts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
