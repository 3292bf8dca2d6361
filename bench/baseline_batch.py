"""The yardstick for a batch: a minimal hand-written Playwright script that cancels the
accounts of a CSV, N at a time, as a new process.

    OKKO_BASE_URL=http://127.0.0.1:8800 python bench/baseline_batch.py ACCOUNTS.csv [BROWSER] [--workers N]

N workers (1 by default), each a thread with its own Playwright and browser, as `batch`'s
are; per account (the CSV's `login,password` rows) a fresh context that logs in at /login,
and does the clicks `cancel` does on a `crowd` account: turn auto-renew off through the
retention offer, the survey and the confirmation; unbind the card; sign out every other
device; each section reloaded once the change is made, as `cancel` reads it back. No step
log, no reading of the state, no receipt, no screenshot, no retries: the CPU it takes per
account is what any tool pays for the same pages and clicks, and its throughput is the
floor's for `batch` at the same number of workers. It imports only Playwright (and the
standard library).
"""

import argparse
import csv
import os
import queue
import sys
import threading

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


def worker(accounts: "queue.Queue[tuple[str, str]]", base_url: str, executable: str | None,
           failures: list[BaseException]) -> None:
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable)
            while True:
                try:
                    login, password = accounts.get_nowait()
                except queue.Empty:
                    break
                context = browser.new_context(base_url=base_url, locale="ru-RU")
                page = context.new_page()
                log_in(page, login, password)
                cancel(page)
                context.close()
            browser.close()
    except BaseException as error:  # the main thread reports it
        failures.append(error)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("accounts")
    parser.add_argument("browser", nargs="?")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    base_url = os.environ["OKKO_BASE_URL"]
    accounts: "queue.Queue[tuple[str, str]]" = queue.Queue()
    with open(args.accounts, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            accounts.put((row["login"], row["password"]))
    count = accounts.qsize()
    failures: list[BaseException] = []
    threads = [threading.Thread(target=worker, args=(accounts, base_url, args.browser, failures))
               for _ in range(min(args.workers, count))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        print(f"failed: {failures[0]}", file=sys.stderr)
        return 1
    print(f"cancelled {count} accounts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
