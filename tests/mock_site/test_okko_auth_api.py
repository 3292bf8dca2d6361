"""HTTP-level tests (no browser) of the `okko` layout's code-only login and what the admin
side offers for it: an e-mail gets an e-mailed code and a phone an SMS code (both in the
outbox), unknown logins get the same step with nothing sent, Сбер ID accounts are sent to
Сбер ID, a password is refused as a wrong code, five wrong codes lock the account;
`AdminClient.last_code` and `python -m fixtures.outbox_code` for an e-mail or a phone; the
current device unlinked ends the session.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient
from tests.mock_site.okko_support import LOCKED, WRONG_CODE, other_code
from tests.mock_site.visitor import Visitor

pytestmark = pytest.mark.variant("okko")

DEMO_PHONE = "+7 999 123-45-67"


def start(site: AdminClient, login: str) -> dict[str, str]:
    response = Visitor(site.base_url).post("/api/v1/auth/start", json={"login": login})
    assert response.status_code == 200, response.text
    answer: dict[str, str] = response.json()
    return answer


def code_signed_in(site: AdminClient, login: str = DEMO_EMAIL) -> Visitor:
    visitor = Visitor(site.base_url)
    visitor.post("/api/v1/auth/start", json={"login": login})
    response = visitor.post("/api/v1/auth/login", json={"login": login, "code": site.last_code(login)})
    assert response.status_code == 200, response.text
    return visitor


# ------------------------------------------------------------------------ step one


def test_an_email_gets_an_emailed_code(site: AdminClient) -> None:
    assert start(site, DEMO_EMAIL) == {"step": "code", "email": DEMO_EMAIL}
    [message] = site.outbox()
    assert (message["kind"], message["to"]) == ("email", DEMO_EMAIL)
    assert re.fullmatch(r"\d{6}", message["code"])
    assert message["code"] in message["body"]


@pytest.mark.parametrize("phone", [DEMO_PHONE, "89991234567", "+7 (999) 123 45 67"])
def test_a_phone_gets_an_sms_code_at_the_phone_as_stored(site: AdminClient, phone: str) -> None:
    assert start(site, phone) == {"step": "sms", "phone": DEMO_PHONE}
    [message] = site.outbox()
    assert (message["kind"], message["to"]) == ("sms", DEMO_PHONE)
    assert message["code"] in message["body"]


@pytest.mark.parametrize(("login", "answer"), [
    ("nobody@okko.test", {"step": "code", "email": "nobody@okko.test"}),
    ("89001112233", {"step": "sms", "phone": "+7 900 111-22-33"}),
])
def test_unknown_logins_get_the_same_step_but_nothing_is_sent(
    site: AdminClient, login: str, answer: dict[str, str]
) -> None:
    assert start(site, login) == answer
    assert site.outbox() == []


@pytest.mark.scenario("sber-id")
@pytest.mark.parametrize("login", ["sber@okko.test", "+7 999 555-44-33"])
def test_a_sber_id_account_is_told_to_use_sber_id(site: AdminClient, login: str) -> None:
    assert start(site, login) == {"step": "sber_id"}
    assert site.outbox() == []


@pytest.mark.variant("classic")
def test_classic_still_asks_password_accounts_for_a_password(site: AdminClient) -> None:
    assert start(site, DEMO_EMAIL) == {"step": "password"}
    assert site.outbox() == []


# ------------------------------------------------------------------------ step two


def test_the_right_code_signs_in_once(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    visitor.post("/api/v1/auth/start", json={"login": DEMO_PHONE})
    code = site.last_code(DEMO_PHONE)
    first = visitor.post("/api/v1/auth/login", json={"login": DEMO_PHONE, "code": code, "next": "/settings/devices"})
    assert first.status_code == 200
    assert first.json() == {"redirect": "/settings/devices"}
    assert visitor.get("/api/v1/me").json()["email"] == DEMO_EMAIL
    [ok] = [e for e in site.events() if e["type"] == "login_ok"]
    assert (ok["account"], ok["method"]) == (DEMO_EMAIL, "code")
    again = Visitor(site.base_url).post("/api/v1/auth/login", json={"login": DEMO_PHONE, "code": code})
    assert again.status_code == 401


@pytest.mark.parametrize("variant", ["okko", "classic"])
def test_a_password_is_refused_on_okko_only(site: AdminClient, variant: str) -> None:
    site.reset("default", variant)
    visitor = Visitor(site.base_url)
    response = visitor.post("/api/v1/auth/login", json={"login": DEMO_EMAIL, "password": DEMO_PASSWORD})
    if variant == "classic":
        assert response.status_code == 200
        return
    assert response.status_code == 401
    assert response.json()["message"] == WRONG_CODE
    assert "okko_session" not in visitor.http.cookies
    assert site.event_types() == ["login_failed"]


def test_five_wrong_codes_lock_the_account_even_against_the_right_one(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    visitor.post("/api/v1/auth/start", json={"login": DEMO_EMAIL})
    right = site.last_code(DEMO_EMAIL)
    answers = [visitor.post("/api/v1/auth/login", json={"login": DEMO_EMAIL, "code": other_code(right)})
               for _ in range(5)]
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 423]
    assert {a.json()["message"] for a in answers[:4]} == {WRONG_CODE}
    assert answers[4].json()["message"] == LOCKED

    locked_out = visitor.post("/api/v1/auth/login", json={"login": DEMO_EMAIL, "code": right})
    assert locked_out.status_code == 423
    assert site.account()["locked"] is True
    assert "login_ok" not in site.event_types()


@pytest.mark.scenario("sber-id")
def test_a_sber_id_account_cannot_use_a_code_on_the_site(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    visitor.post("/sberid/authorize", data={"phone": "+7 999 555-44-33", "next": "/"})
    sms = site.last_code("+7 999 555-44-33")  # a Сбер ID code: not valid on the site's own form
    response = visitor.post("/api/v1/auth/login", json={"login": "sber@okko.test", "code": sms})
    assert response.status_code == 401
    assert response.json()["message"] == WRONG_CODE


# --------------------------------------------------------------------- admin side


def test_last_code_finds_a_phone_however_it_is_written(site: AdminClient) -> None:
    start(site, "89991234567")
    [message] = site.outbox()
    for written in (DEMO_PHONE, "89991234567", "+79991234567", "9991234567"):
        assert site.last_code(written) == message["code"]
    with pytest.raises(LookupError):
        site.last_code("+7 999 000-00-00")


def test_last_code_finds_an_email_in_any_case(site: AdminClient) -> None:
    start(site, DEMO_EMAIL)
    start(site, DEMO_EMAIL)
    assert site.last_code("Demo@OKKO.test") == site.outbox()[-1]["code"]


def test_outbox_code_prints_the_latest_code(site: AdminClient) -> None:
    start(site, DEMO_PHONE)
    found = subprocess.run([sys.executable, "-m", "fixtures.outbox_code", site.base_url, "89991234567"],
                           capture_output=True, text=True, timeout=60, check=False)
    assert (found.returncode, found.stdout) == (0, site.outbox()[-1]["code"] + "\n")

    missing = subprocess.run([sys.executable, "-m", "fixtures.outbox_code", site.base_url, "x@okko.test"],
                             capture_output=True, text=True, timeout=60, check=False)
    assert (missing.returncode, missing.stdout) == (1, "")
    assert "no login code was sent to x@okko.test" in missing.stderr


def test_outbox_code_takes_the_login_from_the_environment(site: AdminClient) -> None:
    start(site, DEMO_EMAIL)
    command = [sys.executable, "-m", "fixtures.outbox_code", site.base_url]
    env = {**os.environ, "OKKO_CODE_FOR": DEMO_EMAIL}
    found = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, env=env)
    assert (found.returncode, found.stdout) == (0, site.last_code(DEMO_EMAIL) + "\n")

    env.pop("OKKO_CODE_FOR")
    unnamed = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, env=env)
    assert unnamed.returncode == 2
    assert "usage" in unnamed.stderr


def test_state_shows_the_login_method_and_device_kinds(site: AdminClient) -> None:
    site.reset("sber-id", "okko")
    [account] = site.state()["accounts"]
    assert account["login_method"] == "sber_id"
    assert {d["name"]: d["kind"] for d in account["devices"]} == {"Samsung Smart TV": "Телевизор",
                                                                  "iPhone 13": "Смартфон"}


def test_me_carries_a_seven_digit_account_number_on_okko(site: AdminClient) -> None:
    me = code_signed_in(site).get("/api/v1/me").json()
    assert re.fullmatch(r"\d{7}", me["account_number"])


# ---------------------------------------------------------------- unlinking devices


def test_unlinking_the_current_device_ends_the_session(site: AdminClient) -> None:
    visitor = code_signed_in(site)
    token = visitor.csrf_token()
    [current] = [d for d in visitor.get("/api/v1/devices").json()["devices"] if d["current"]]
    response = visitor.write(f"/api/v1/devices/{current['id']}/sign-out", token)
    assert response.status_code == 200
    assert visitor.get("/api/v1/me").status_code == 401
    assert site.account()["sessions"] == 0
    assert current["name"] not in [d["name"] for d in site.account()["devices"]]
    assert site.events()[-1]["type"] == "device_signed_out"
    assert site.events()[-1]["device"] == current["name"]


@pytest.mark.variant("classic")
def test_classic_still_refuses_to_unlink_the_current_device(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    visitor.login()
    token = visitor.csrf_token()
    [current] = [d for d in visitor.get("/api/v1/devices").json()["devices"] if d["current"]]
    assert visitor.write(f"/api/v1/devices/{current['id']}/sign-out", token).status_code == 409
    assert visitor.get("/api/v1/me").status_code == 200
