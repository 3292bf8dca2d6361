"""The floor for `status` with a saved session: a minimal hand-written Playwright script that
opens the settings with the saved cookies and reads «Подписки», «Оплата услуг» and
«Устройства» from the menu, as a new process.

    OKKO_BASE_URL=http://127.0.0.1:8800 python bench/baseline_status.py SESSION.json [BROWSER]

SESSION.json is okko-cancel's saved session (its `storage_state`). It imports only
Playwright; no settings, no step log, no tables.
"""

import json
import os
import sys

from playwright.sync_api import sync_playwright


def main() -> int:
    base_url = os.environ["OKKO_BASE_URL"]
    with open(sys.argv[1], encoding="utf-8") as handle:
        storage_state = json.load(handle)["storage_state"]
    executable = sys.argv[2] if len(sys.argv) > 2 else None
    texts = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable)
        page = browser.new_page(base_url=base_url, locale="ru-RU", storage_state=storage_state)
        page.goto("/settings")
        menu = page.get_by_role("navigation", name="Настройки")
        for section in ("Подписки", "Оплата услуг", "Устройства"):
            menu.get_by_role("link", name=section, exact=True).click()
            page.get_by_role("heading", name=section, level=1).wait_for()
            page.get_by_role("progressbar", name="Загрузка").wait_for(state="hidden")
            texts.append(page.get_by_role("main").inner_text())
        browser.close()
    print(f"read {len(texts)} sections")
    return 0 if len(texts) == 3 else 1


if __name__ == "__main__":
    sys.exit(main())
