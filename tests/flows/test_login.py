"""Signing in (flows/login.py) through the /login page of our first design (the `classic`
layout), whose password step okko.tv was never seen to have; the okko.tv login by code is in
test_login_okko.py.

Covered: the right password signs in; a wrong password is LoginRejected (exit code 3) after
exactly one attempt; a locked account is LoginRejected naming the lock; a CAPTCHA is
HumanNeeded (exit code 5); a code login with a code provider (reading the site's outbox)
signs in, and without one is HumanNeeded; ensure_signed_in logs in when the session is
missing and not again when it is there; and the password never shows in a step record or
an error message.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect
from pydantic import SecretStr

from automations.credentials import Credentials
from automations.errors import HumanNeeded, LoginRejected
from automations.pages import PaymentsPage
from automations.steps import StepLog
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient
from flows.login import ensure_signed_in, sign_in
from tests.helpers import last_event_id

pytestmark = pytest.mark.variant("classic")

CODE_EMAIL = "code@okko.test"
WRONG_PASSWORD = "not-the-Pa55word"
LOCK_AFTER = 5


def creds(password: str = DEMO_PASSWORD, login: str = DEMO_EMAIL) -> Credentials:
    return Credentials(login, SecretStr(password))


def expect_signed_in(page: Page) -> None:
    expect(page.get_by_role("link", name="Настройки", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Войти", exact=True)).to_have_count(0)


def test_right_password_signs_in(site: AdminClient, consented_page: Page, steps: StepLog) -> None:
    since = last_event_id(site)

    sign_in(consented_page, steps, creds())

    expect_signed_in(consented_page)
    events = site.events(since)
    assert [(e["type"], e["account"], e["method"]) for e in events] == [("login_ok", DEMO_EMAIL, "password")]
    assert site.account()["sessions"] == 1


def test_wrong_password_is_rejected_once(site: AdminClient, consented_page: Page, steps: StepLog) -> None:
    since = last_event_id(site)

    with pytest.raises(LoginRejected) as raised:
        sign_in(consented_page, steps, creds(WRONG_PASSWORD))

    assert raised.value.exit_code == 3
    assert "Неверный логин или пароль" in str(raised.value)
    assert site.event_types(since) == ["login_failed"]
    assert site.account()["failed_logins"] == 1
    assert site.account()["sessions"] == 0


def test_locked_account_is_rejected_naming_the_lock(site: AdminClient, consented_page: Page, steps: StepLog) -> None:
    for _ in range(LOCK_AFTER):
        consented_page.request.post("/api/v1/auth/login", data={"login": DEMO_EMAIL, "password": WRONG_PASSWORD})
    assert site.account()["locked"]
    since = last_event_id(site)

    with pytest.raises(LoginRejected) as raised:
        sign_in(consented_page, steps, creds())

    assert raised.value.exit_code == 3
    assert "locked" in str(raised.value)
    assert "Слишком много попыток входа" in str(raised.value)
    assert "login_ok" not in site.event_types(since)
    assert site.account()["sessions"] == 0


@pytest.mark.scenario("default", faults={"captcha": True})
def test_captcha_needs_a_person(site: AdminClient, consented_page: Page, steps: StepLog) -> None:
    since = last_event_id(site)

    with pytest.raises(HumanNeeded) as raised:
        sign_in(consented_page, steps, creds())

    assert raised.value.exit_code == 5
    assert "CAPTCHA" in str(raised.value)
    expect(consented_page.get_by_role("heading", name="Проверка безопасности")).to_be_visible()
    assert site.event_types(since) == []


@pytest.mark.scenario("code-login")
def test_code_login_with_a_code_provider_signs_in(site: AdminClient, consented_page: Page, steps: StepLog) -> None:
    asked: list[str] = []

    def code_provider(email: str) -> str:
        asked.append(email)
        return site.last_code(email)

    sign_in(consented_page, steps, creds("", CODE_EMAIL), code_provider=code_provider)

    assert asked == [CODE_EMAIL]
    expect_signed_in(consented_page)
    logins = [e for e in site.events() if e["type"] == "login_ok"]
    assert [(e["account"], e["method"]) for e in logins] == [(CODE_EMAIL, "code")]


@pytest.mark.scenario("code-login")
def test_code_login_without_a_code_provider_needs_a_person(
    site: AdminClient, consented_page: Page, steps: StepLog
) -> None:
    with pytest.raises(HumanNeeded) as raised:
        sign_in(consented_page, steps, creds("", CODE_EMAIL))

    assert raised.value.exit_code == 5
    assert "code" in str(raised.value)
    types = site.event_types()
    assert "login_code_sent" in types and "login_ok" not in types


def test_ensure_signed_in_logs_in_when_needed(site: AdminClient, consented_page: Page, steps: StepLog) -> None:
    fresh = ensure_signed_in(consented_page, steps, creds())

    assert fresh is True
    expect(consented_page.get_by_role("heading", name="Профиль", level=1)).to_be_visible()
    assert site.event_types().count("login_ok") == 1


def test_ensure_signed_in_keeps_a_live_session(site: AdminClient, signed_in_page: Page, steps: StepLog) -> None:
    since = last_event_id(site)

    fresh = ensure_signed_in(signed_in_page, steps, creds())

    assert fresh is False
    expect(signed_in_page.get_by_role("heading", name="Профиль", level=1)).to_be_visible()
    assert "login_ok" not in site.event_types(since)


def test_a_live_session_opens_the_settings_at_the_starting_section_in_one_page_load(
    site: AdminClient, signed_in_page: Page, steps: StepLog, loaded: list[str]
) -> None:
    fresh = ensure_signed_in(signed_in_page, steps, creds(), start_on=PaymentsPage)

    assert fresh is False
    expect(signed_in_page.get_by_role("heading", name="Оплата услуг", level=1)).to_be_visible()
    assert loaded == ["settings/payments"]


def test_a_login_comes_back_to_the_starting_section_without_the_front_door(
    site: AdminClient, consented_page: Page, steps: StepLog, loaded: list[str]
) -> None:
    fresh = ensure_signed_in(consented_page, steps, creds(), start_on=PaymentsPage)

    assert fresh is True
    expect(consented_page.get_by_role("heading", name="Оплата услуг", level=1)).to_be_visible()
    assert loaded[0] == "settings/payments" and loaded[-1] == "settings/payments"
    assert not [path for path in loaded if path.startswith("settings/profile")]
    assert site.event_types().count("login_ok") == 1


@pytest.mark.variant("breaking")
def test_a_starting_section_the_site_moved_opens_the_settings_at_their_front_door(
    site: AdminClient, signed_in_page: Page, steps: StepLog
) -> None:
    fresh = ensure_signed_in(signed_in_page, steps, creds(), start_on=PaymentsPage)

    assert fresh is False
    expect(signed_in_page.get_by_role("heading", name="Профиль", level=1)).to_be_visible()
    assert [record.outcome for record in steps.records] == ["ok"]


@pytest.mark.parametrize(("password", "accepted"), [(DEMO_PASSWORD, True), (WRONG_PASSWORD, False)])
def test_password_never_shows_in_steps_or_errors(
    site: AdminClient, consented_page: Page, steps: StepLog, password: str, accepted: bool
) -> None:
    messages: list[str] = []
    if accepted:
        sign_in(consented_page, steps, creds(password))
    else:
        with pytest.raises(LoginRejected) as raised:
            sign_in(consented_page, steps, creds(password))
        messages = [str(raised.value), repr(raised.value)]

    records = steps.to_list()
    assert [record["name"] for record in records] == ["Log in: e-mail or phone", "Log in: password"]
    assert password not in json.dumps(records, ensure_ascii=False)
    for message in messages:
        assert password not in message
    assert password not in repr(creds(password))
