"""Personal data becomes placeholders by its shape, and device names by where the site lists
them: a device is known by its row in «Мои устройства», not by a list of names."""

from __future__ import annotations

import pytest

from automations.redaction import Redactor, redact_text

DEVICES = """\
- main:
  - list:
    - listitem "Кухонный телевизор":
      - text: Кухонный телевизор 30 ноября · Телевизор
      - button "Отвязать"
    - listitem: Дача, ноутбук Последний вход 01.12.2026
  - table:
    - rowgroup:
      - row "Устройство Последний вход":
        - columnheader "Устройство"
"""


@pytest.mark.parametrize(("said", "redacted"), [
    ("Мы отправили письмо на demo@okko.test", "Мы отправили письмо на <email>"),
    ("+7 999 123-45-67, 8 (999) 123 45 67, +79991234567", "<phone>, <phone>, <phone>"),
    ("+7 999 ***-**-67", "<phone>"),
    ("Visa •••• 4242 · Mastercard •• 5454 · МИР **** 2202 · Visa *1111",
     "Visa •••• <card> · Mastercard •• <card> · МИР **** <card> · Visa *<card>"),
    ("4242 4242 4242 4242", "<card>"),
    ("13 декабря, 13 ноября 2026, 13.12.2026, 2026-12-13", "<date>, <date>, <date>, <date>"),
    ("399 ₽/мес, 1 ₽, 0 руб, 1 299 ₽", "<amount>/мес, <amount>, <amount>, <amount>"),
    ('definition: "4824919"', 'definition: "<number>"'),
    ("4 из 5 устройств", "4 из 5 устройств"),
])
def test_shapes_become_placeholders(said: str, redacted: str) -> None:
    assert redact_text(said) == redacted


def test_device_names_are_learnt_from_the_devices_list_and_redacted_wherever_they_show() -> None:
    redactor = Redactor()
    redactor.learn_devices(DEVICES)

    assert redactor.devices == {"Кухонный телевизор", "Дача, ноутбук"}  # not the header row
    assert redactor.text("«Кухонный телевизор» выйдет из аккаунта") == "«<device>» выйдет из аккаунта"
    assert redactor.document({"steps": [{"name": "Unlink «Дача, ноутбук»", "trace": "/tmp/4242.zip"}]},
                             keep=frozenset({"trace"})) == {
        "steps": [{"name": "Unlink «<device>»", "trace": "/tmp/4242.zip"}]}
