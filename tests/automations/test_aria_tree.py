"""ARIA snapshots compared as whole trees: a removal that Playwright's subset matching would
accept is found, a near-identical name is a rename, and a list that grew is no change."""

from __future__ import annotations

from automations.aria_tree import diff_snapshots, parse_snapshot

BASELINE = """\
- main:
  - heading "Настройки" [level=1]
  - navigation "Настройки":
    - link "Основные":
      - /url: /settings/general
    - link "Оплата услуг":
      - /url: /settings/payments
    - link "Подписки":
      - /url: /settings/subscriptions
  - table:
    - row "<date> Подписка «Оптимум» <amount> Оплачено":
      - cell "<date>"
  - 'button "Да: отключить"'
"""


def test_a_removed_link_is_found_though_the_rest_is_a_subset() -> None:
    current = BASELINE.replace('    - link "Оплата услуг":\n      - /url: /settings/payments\n', "")

    [change] = diff_snapshots(BASELINE, current)

    assert (change.kind, change.role, change.name, change.under) == ("disappeared", "link", "Оплата услуг",
                                                                    "navigation «Настройки»")
    assert BASELINE.splitlines()[change.baseline_line].strip() == '- link "Оплата услуг":'


def test_a_near_identical_name_of_the_same_role_is_a_rename_and_another_name_is_not() -> None:
    current = BASELINE.replace('link "Подписки"', 'link "Подписка"').replace('"Основные"', '"Главное"')

    changes = {(c.kind, c.role, c.was, c.name) for c in diff_snapshots(BASELINE, current)}

    assert changes == {("renamed", "link", "Подписки", "Подписка"), ("disappeared", "link", "", "Основные"),
                       ("appeared", "link", "", "Главное")}


def test_more_rows_of_the_same_shape_and_a_quoted_key_are_no_change() -> None:
    row = '    - row "<date> Подписка «Оптимум» <amount> Оплачено":\n      - cell "<date>"\n'
    current = BASELINE.replace(row, row * 3)

    assert diff_snapshots(BASELINE, current) == []
    [*_, button] = parse_snapshot(BASELINE)[0].children
    assert (button.role, button.name) == ("button", "Да: отключить")
