"""The yardstick for `unbind-card --yes`: a minimal hand-written Playwright script doing the
same clicks on the mock site, as a new process, login included.

    OKKO_BASE_URL=http://127.0.0.1:8800 OKKO_LOGIN=demo@okko.test OKKO_PASSWORD=okko-demo \
        python bench/baseline_unbind.py /usr/bin/chromium-headless-shell

It imports only Playwright; the browser is the one okko-cancel would pick (passed in, so that
both sides run the same executable). No receipt, no saved session, no step log: what is
left is the floor that any Playwright tool pays for the same work.
"""

import os
import sys

from playwright.sync_api import sync_playwright


def main() -> int:
    base_url = os.environ["OKKO_BASE_URL"]
    executable = sys.argv[1] if len(sys.argv) > 1 else None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable)
        page = browser.new_page(base_url=base_url, locale="ru-RU")
        # Log in.
        page.goto("/login?next=/settings")
        page.get_by_role("button", name="Принять").click()
        page.get_by_label("Электронная почта или телефон").fill(os.environ["OKKO_LOGIN"])
        page.get_by_role("button", name="Продолжить").click()
        page.get_by_label("Пароль", exact=True).fill(os.environ["OKKO_PASSWORD"])
        page.get_by_role("button", name="Войти", exact=True).click()
        # Open «Оплата услуг» from the settings menu.
        page.get_by_role("navigation", name="Настройки").get_by_role("link", name="Оплата услуг").click()
        card = page.get_by_role("main").get_by_role("article", name="Visa •••• 4242")
        # Unbind and confirm.
        card.get_by_role("button", name="Отвязать карту").click()
        page.get_by_role("dialog", name="Отвязать карту?").get_by_role("button", name="Отвязать", exact=True).click()
        card.wait_for(state="detached")
        # Reload and check.
        page.reload()
        page.get_by_text("Нет привязанных карт").wait_for()
        unbound = card.count() == 0
        browser.close()
    print("unbound" if unbound else "still bound")
    return 0 if unbound else 1


if __name__ == "__main__":
    sys.exit(main())
