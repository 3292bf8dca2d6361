"""HTTP-level tests (no browser) of the mock OKKO site's login and JSON API.

Covered, against the real threaded server through `requests`:
- login: `POST /api/v1/auth/start` (format check, password vs code step, the code in the
  outbox), `POST /api/v1/auth/login` (the `okko_session` cookie's flags, generic errors,
  lockout after five failures, one-time and expiring login codes);
- passwords stored hashed in the site's SQLite file;
- reads (`/api/v1/me`, `/subscriptions`, `/cards`, `/devices`, `/payments`): 401 without a
  session, the documented fields with one; settings pages redirect to /login?next=...;
- CSRF: every write is refused (403) without or with a wrong `X-CSRF-Token` and changes
  nothing; with the token from the page's `<meta name="csrf-token">` it takes effect in the
  admin state and event log; 401 without a session;
- idempotency and refusals: unbinding / disabling twice, store-billed subscriptions, the
  current device, malformed bodies.

`Visitor` (a cookie-keeping `requests` session bound to the site) is shared with
test_admin.py and test_server.py.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from werkzeug.security import check_password_hash

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.helpers import last_event_id
from tests.mock_site.visitor import Visitor, signed_in

# This module describes the classic layout (and, where marked, redesign and breaking): it is
# pinned to it, whatever the site's default layout is. The okko layout has its own modules.
pytestmark = pytest.mark.variant("classic")

BAD_FORMAT = "Неверный формат"
BAD_CREDENTIALS = "Неверный логин или пароль"
LOCKED = "Слишком много попыток входа. Попробуйте позже."
CODE_EMAIL = "code@okko.test"


def set_cookie_attributes(response: requests.Response, name: str) -> dict[str, str]:
    """The attributes of the raw `Set-Cookie` header for `name`, lower-cased keys."""
    raw = [h for h in response.raw.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert len(raw) == 1, response.raw.headers.getlist("Set-Cookie")
    attributes = {}
    for part in raw[0].split(";")[1:]:
        key, _, value = part.strip().partition("=")
        attributes[key.lower()] = value
    return attributes


# ------------------------------------------------------------------------------ login


@pytest.mark.parametrize("login", ["", "demo@okko", "@okko.test", "+7 999 12"])
def test_auth_start_rejects_a_login_in_bad_format(site: AdminClient, login: str) -> None:
    response = Visitor(site.base_url).post("/api/v1/auth/start", json={"login": login})
    assert response.status_code == 400
    assert response.json()["message"] == BAD_FORMAT


@pytest.mark.parametrize("login", [DEMO_EMAIL, "+7 999 123-45-67", "89991234567", "nobody@okko.test"])
def test_auth_start_asks_password_accounts_and_unknown_logins_for_a_password(site: AdminClient, login: str) -> None:
    response = Visitor(site.base_url).post("/api/v1/auth/start", json={"login": login})
    assert response.status_code == 200
    assert response.json() == {"step": "password"}
    assert site.outbox() == []


@pytest.mark.scenario("code-login")
def test_auth_start_sends_a_six_digit_code_to_code_accounts(site: AdminClient) -> None:
    response = Visitor(site.base_url).post("/api/v1/auth/start", json={"login": CODE_EMAIL})
    assert response.status_code == 200
    assert response.json() == {"step": "code", "email": CODE_EMAIL}
    [message] = site.outbox()
    assert message["to"] == CODE_EMAIL
    assert re.fullmatch(r"\d{6}", message["code"])
    assert message["code"] in message["body"]


def test_login_sets_an_httponly_samesite_lax_session_cookie(site: AdminClient) -> None:
    response = Visitor(site.base_url).login()
    attributes = set_cookie_attributes(response, "okko_session")
    assert "httponly" in attributes
    assert attributes.get("samesite", "").lower() == "lax"
    assert attributes.get("path") == "/"
    assert site.event_types() == ["login_ok"]


def test_wrong_password_and_unknown_account_get_the_same_generic_401(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    wrong_password = visitor.post("/api/v1/auth/login", json={"login": DEMO_EMAIL, "password": "nope-nope"})
    unknown = visitor.post("/api/v1/auth/login", json={"login": "nobody@okko.test", "password": DEMO_PASSWORD})
    assert (wrong_password.status_code, unknown.status_code) == (401, 401)
    assert wrong_password.json() == unknown.json()
    assert wrong_password.json()["message"] == BAD_CREDENTIALS
    assert "okko_session" not in visitor.http.cookies
    assert site.event_types() == ["login_failed", "login_failed"]


def test_five_failed_logins_lock_the_account_even_against_the_right_password(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    statuses = [
        visitor.post("/api/v1/auth/login", json={"login": DEMO_EMAIL, "password": f"wrong-{n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 423]

    right = visitor.post("/api/v1/auth/login", json={"login": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert right.status_code == 423
    assert right.json()["message"] == LOCKED
    assert "okko_session" not in visitor.http.cookies
    assert site.account()["locked"] is True
    assert site.event_types().count("locked") == 1
    assert "login_ok" not in site.event_types()


@pytest.mark.scenario("code-login")
def test_a_login_code_works_once(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    visitor.post("/api/v1/auth/start", json={"login": CODE_EMAIL})
    code = site.last_code(CODE_EMAIL)
    first = visitor.post("/api/v1/auth/login", json={"login": CODE_EMAIL, "code": code})
    assert first.status_code == 200
    again = Visitor(site.base_url).post("/api/v1/auth/login", json={"login": CODE_EMAIL, "code": code})
    assert again.status_code == 401
    assert again.json()["message"] == BAD_CREDENTIALS


@pytest.mark.scenario("code-login")
def test_a_wrong_login_code_fails(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    visitor.post("/api/v1/auth/start", json={"login": CODE_EMAIL})
    wrong = f"{(int(site.last_code(CODE_EMAIL)) + 1) % 1_000_000:06d}"
    response = visitor.post("/api/v1/auth/login", json={"login": CODE_EMAIL, "code": wrong})
    assert response.status_code == 401
    assert response.json()["message"] == BAD_CREDENTIALS
    assert site.event_types()[-1] == "login_failed"


@pytest.mark.scenario("code-login")
def test_a_login_code_expires_after_ten_minutes(site: AdminClient, mock_site: MockSite) -> None:
    visitor = Visitor(site.base_url)
    visitor.post("/api/v1/auth/start", json={"login": CODE_EMAIL})
    code = site.last_code(CODE_EMAIL)
    # Ten minutes cannot be waited out: move the code's issue time ten minutes into the past.
    with sqlite3.connect(mock_site.app.extensions["okko_store"].path) as db:
        [(expires_at,)] = db.execute("SELECT expires_at FROM login_codes").fetchall()
        assert expires_at == pytest.approx(time.time() + 600, abs=30)
        db.execute("UPDATE login_codes SET expires_at = expires_at - 600")
    response = visitor.post("/api/v1/auth/login", json={"login": CODE_EMAIL, "code": code})
    assert response.status_code == 401


def test_passwords_are_stored_hashed(site: AdminClient, mock_site: MockSite) -> None:
    Visitor(site.base_url).login()  # a login must not leave the password anywhere either
    with sqlite3.connect(mock_site.app.extensions["okko_store"].path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in db.execute(f"SELECT * FROM {table}"):
                assert not any(DEMO_PASSWORD in str(value) for value in row), (table, row)
        [(password_hash,)] = db.execute("SELECT password_hash FROM accounts WHERE email = ?", (DEMO_EMAIL,))
    assert check_password_hash(password_hash, DEMO_PASSWORD)
    assert not check_password_hash(password_hash, "okko-demo!")


# ------------------------------------------------------------------------------ reads

READS = ["/api/v1/me", "/api/v1/subscriptions", "/api/v1/cards", "/api/v1/devices", "/api/v1/payments"]


@pytest.mark.parametrize("path", READS)
def test_reads_need_a_session(site: AdminClient, path: str) -> None:
    response = Visitor(site.base_url).get(path)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_me_returns_the_profile(site: AdminClient) -> None:
    response = signed_in(site).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {"email": DEMO_EMAIL, "phone": "+7 999 123-45-67", "login_method": "password"}


@pytest.mark.parametrize(
    ("path", "key", "fields", "expected"),
    [
        (
            "/api/v1/subscriptions",
            "subscriptions",
            {"id", "name", "price", "price_label", "billing", "billed", "card", "auto_renew", "offer_accepted",
             "status", "next_charge", "active_until", "store", "manage_hint"},
            {"name": "Оптимум", "price": 399, "price_label": "399 ₽/мес", "billing": "card", "card": "Visa •••• 4242",
             "auto_renew": True, "status": "active", "next_charge": (date.today() + timedelta(days=12)).isoformat()},
        ),
        (
            "/api/v1/cards",
            "cards",
            {"id", "brand", "last4", "label", "primary"},
            {"brand": "Visa", "last4": "4242", "label": "Visa •••• 4242", "primary": True},
        ),
        (
            "/api/v1/devices",
            "devices",
            {"id", "name", "last_seen", "current"},
            {"name": "Samsung Smart TV", "current": False,
             "last_seen": (date.today() - timedelta(days=1)).isoformat()},
        ),
        (
            "/api/v1/payments",
            "payments",
            {"date", "description", "amount", "status", "card"},
            {"description": "Подписка «Оптимум»", "amount": 399, "status": "Оплачено", "card": "Visa •••• 4242"},
        ),
    ],
)
def test_reads_return_the_documented_fields(
    site: AdminClient, path: str, key: str, fields: set[str], expected: dict[str, Any]
) -> None:
    response = signed_in(site).get(path)
    assert response.status_code == 200
    items = response.json()[key]
    assert items, f"{path} returned no {key}"
    assert all(set(item) >= fields for item in items), items
    assert any(expected.items() <= item.items() for item in items), items


def test_devices_mark_the_current_one_and_give_the_limit(site: AdminClient) -> None:
    body = signed_in(site).get("/api/v1/devices").json()
    assert body["limit"] == 5
    assert sorted(d["name"] for d in body["devices"] if not d["current"]) == [
        "Chrome, Windows", "Samsung Smart TV", "iPhone 13"
    ]
    assert sum(d["current"] for d in body["devices"]) == 1


@pytest.mark.parametrize(
    "path", ["/settings", "/settings/profile", "/settings/subscriptions", "/settings/payments", "/settings/devices"]
)
def test_settings_pages_redirect_to_login_when_logged_out(site: AdminClient, path: str) -> None:
    response = Visitor(site.base_url).get(path, allow_redirects=False)
    assert response.status_code in (302, 303)
    location = urlsplit(response.headers["Location"])
    assert (location.path, location.query) == ("/login", f"next={path}")


# ------------------------------------------------------------------------------ writes


@dataclass
class Write:
    """One state-changing API call, and how its effect shows in the admin state."""

    name: str
    path: Callable[[dict[str, Any]], str]
    body: dict[str, Any]
    event: str
    happened: Callable[[dict[str, Any]], bool]


def _ids(visitor: Visitor) -> dict[str, Any]:
    devices = visitor.get("/api/v1/devices").json()["devices"]
    return {
        "card": visitor.get("/api/v1/cards").json()["cards"][0]["id"],
        "sub": visitor.get("/api/v1/subscriptions").json()["subscriptions"][0]["id"],
        "device": next(d["id"] for d in devices if d["name"] == "Samsung Smart TV"),
    }


WRITES = [
    Write("unbind card", lambda ids: f"/api/v1/cards/{ids['card']}/unbind", {}, "card_unbound",
          lambda account: account["cards"] == []),
    Write("disable auto-renew", lambda ids: f"/api/v1/subscriptions/{ids['sub']}/auto-renew",
          {"enabled": False, "reason": "other"}, "auto_renew_disabled",
          lambda account: account["subscriptions"][0]["auto_renew"] is False),
    Write("accept offer", lambda ids: f"/api/v1/subscriptions/{ids['sub']}/offer/accept", {}, "offer_accepted",
          lambda account: account["subscriptions"][0]["offer_accepted"] is True),
    Write("sign out device", lambda ids: f"/api/v1/devices/{ids['device']}/sign-out", {}, "device_signed_out",
          lambda account: "Samsung Smart TV" not in [d["name"] for d in account["devices"]]),
    Write("sign out all", lambda ids: "/api/v1/devices/sign-out-all", {}, "device_signed_out",
          lambda account: len(account["devices"]) == 1),
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
@pytest.mark.parametrize("token", [None, "not-the-token"], ids=["no token", "wrong token"])
def test_writes_without_the_csrf_token_are_refused_and_change_nothing(
    site: AdminClient, write: Write, token: str | None
) -> None:
    visitor = signed_in(site)
    ids = _ids(visitor)
    before, since = site.account(), last_event_id(site)
    response = visitor.write(write.path(ids), token, write.body)
    assert response.status_code == 403
    assert response.json()["error"] == "csrf"
    assert site.account() == before
    assert site.events(since) == []


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_writes_with_the_pages_csrf_token_take_effect(site: AdminClient, write: Write) -> None:
    visitor = signed_in(site)
    ids = _ids(visitor)
    since = last_event_id(site)
    assert not write.happened(site.account())
    response = visitor.write(write.path(ids), visitor.csrf_token(), write.body)
    assert response.status_code == 200, response.text
    assert write.happened(site.account())
    assert write.event in [e["type"] for e in site.events(since)]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_writes_without_a_session_get_401(site: AdminClient, write: Write) -> None:
    ids = _ids(signed_in(site))
    since = last_event_id(site)
    response = Visitor(site.base_url).write(write.path(ids), "anything", write.body)
    assert response.status_code == 401
    assert site.events(since) == []


def test_unbinding_a_card_twice_unbinds_it_once(site: AdminClient) -> None:
    visitor = signed_in(site)
    card, token = _ids(visitor)["card"], visitor.csrf_token()
    first = visitor.write(f"/api/v1/cards/{card}/unbind", token)
    second = visitor.write(f"/api/v1/cards/{card}/unbind", token)
    assert (first.status_code, second.status_code) == (200, 404)
    assert site.event_types().count("card_unbound") == 1


def test_disabling_auto_renew_twice_logs_one_event(site: AdminClient) -> None:
    visitor = signed_in(site)
    sub, token = _ids(visitor)["sub"], visitor.csrf_token()
    body = {"enabled": False, "reason": "expensive"}
    first = visitor.write(f"/api/v1/subscriptions/{sub}/auto-renew", token, body)
    second = visitor.write(f"/api/v1/subscriptions/{sub}/auto-renew", token, body)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["changed"], second.json()["changed"]) == (True, False)
    assert second.json()["subscription"]["auto_renew"] is False
    assert site.event_types().count("auto_renew_disabled") == 1


@pytest.mark.scenario("multi")
def test_a_store_billed_subscription_cannot_be_changed_here(site: AdminClient) -> None:
    visitor = signed_in(site)
    premium = next(s for s in visitor.get("/api/v1/subscriptions").json()["subscriptions"] if s["name"] == "Премиум")
    assert premium["billing"] == "app_store"
    assert premium["manage_hint"] == "Управляйте подпиской в настройках App Store"
    since = last_event_id(site)
    response = visitor.write(
        f"/api/v1/subscriptions/{premium['id']}/auto-renew", visitor.csrf_token(), {"enabled": False, "reason": "other"}
    )
    assert response.status_code == 409
    state_premium = next(s for s in site.account()["subscriptions"] if s["name"] == "Премиум")
    assert state_premium["auto_renew"] is True
    assert site.events(since) == []


def test_signing_out_the_current_device_is_refused(site: AdminClient) -> None:
    visitor = signed_in(site)
    current = next(d for d in visitor.get("/api/v1/devices").json()["devices"] if d["current"])
    response = visitor.write(f"/api/v1/devices/{current['id']}/sign-out", visitor.csrf_token())
    assert response.status_code == 409
    assert current["id"] in [d["id"] for d in site.account()["devices"]]
    assert visitor.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize(
    "body",
    [{}, {"enabled": "false"}, {"enabled": 0}, {"enabled": False, "reason": "bored"}, "not json"],
    ids=["empty", "string enabled", "number enabled", "unknown reason", "not json"],
)
def test_a_malformed_auto_renew_body_is_refused(site: AdminClient, body: Any) -> None:
    visitor = signed_in(site)
    sub, token = _ids(visitor)["sub"], visitor.csrf_token()
    path = f"/api/v1/subscriptions/{sub}/auto-renew"
    headers = {"X-CSRF-Token": token}
    if isinstance(body, str):
        response = visitor.post(path, data=body, headers={**headers, "Content-Type": "application/json"})
    else:
        response = visitor.post(path, json=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["message"]
    assert site.account()["subscriptions"][0]["auto_renew"] is True
