"""HTTP-level tests (no browser) of the mock site's admin API and of its faults.

Covered, against the real threaded server through `requests`:
- `GET /__admin/state` (accounts with cards, subscriptions, devices, failed logins, lock),
  `GET /__admin/events` (ordered, increasing ids, `since`), `GET /__admin/outbox`;
- `POST /__admin/reset` to every scenario (crowd with a given number of accounts, each able
  to log in) and variant; unknown scenario, variant or fault → 400 with a message;
- `POST/GET/DELETE /__admin/faults` round trip, and reset clearing faults;
- the faults as a client sees them: `fail` (429 with Retry-After, 500, 503, for exactly N
  requests, only under its path prefix), `drop` before the write (nothing happened) and
  after it (it happened: the ambiguous case), `latency_ms` for a path prefix,
  `session_ttl_s`, `captcha`.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient
from tests.helpers import last_event_id
from tests.mock_site.visitor import Visitor, signed_in

# This module describes the classic layout (and, where marked, redesign and breaking): it is
# pinned to it, whatever the site's default layout is. The okko layout has its own modules.
pytestmark = pytest.mark.variant("classic")

NO_FAULTS = {
    "latency_ms": 0,
    "latency_path": "/",
    "session_ttl_s": None,
    "captcha": False,
    "promo_popup": False,
    "cancel_dialogs": "standard",
    "fail": [],
    "drop": [],
    "expire": [],
}


def admin(site: AdminClient) -> Visitor:
    """Raw access to the admin API, for answers AdminClient turns into exceptions."""
    return Visitor(site.base_url)


def first_card(visitor: Visitor) -> str:
    return str(visitor.get("/api/v1/cards").json()["cards"][0]["id"])


# ------------------------------------------------------------------------- state, events, outbox


def test_state_lists_each_account_with_what_a_flow_changes(site: AdminClient) -> None:
    state = site.state()
    assert (state["scenario"], state["variant"]) == ("default", "classic")
    [account] = state["accounts"]
    assert account["email"] == DEMO_EMAIL
    assert account["failed_logins"] == 0
    assert account["locked"] is False
    assert [c["label"] for c in account["cards"]] == ["Visa •••• 4242"]
    [sub] = account["subscriptions"]
    assert {"name": "Оптимум", "auto_renew": True, "offer_accepted": False}.items() <= sub.items()
    assert sub["active_until"]
    assert sorted(d["name"] for d in account["devices"]) == ["Chrome, Windows", "Samsung Smart TV", "iPhone 13"]


def test_state_counts_failed_logins(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    for _ in range(2):
        visitor.post("/api/v1/auth/login", json={"login": DEMO_EMAIL, "password": "wrong"})
    assert site.account()["failed_logins"] == 2
    assert site.account()["locked"] is False


def test_events_are_logged_in_order_with_increasing_ids(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    visitor.post("/api/v1/auth/login", json={"login": DEMO_EMAIL, "password": "wrong"})
    visitor.login()
    visitor.write(f"/api/v1/cards/{first_card(visitor)}/unbind", visitor.csrf_token())
    events = site.events()
    assert [e["type"] for e in events] == ["login_failed", "login_ok", "card_unbound"]
    ids = [e["id"] for e in events]
    assert ids == sorted(set(ids))
    assert all(e["account"] == DEMO_EMAIL for e in events)
    assert events[-1]["card"] == "Visa •••• 4242"


def test_events_since_returns_only_later_events(site: AdminClient) -> None:
    visitor = Visitor(site.base_url)
    visitor.login()
    mark = last_event_id(site)
    visitor.post("/api/v1/auth/login", json={"login": DEMO_EMAIL, "password": "wrong"})
    later = site.events(since=mark)
    assert [e["type"] for e in later] == ["login_failed"]
    assert all(e["id"] > mark for e in later)
    assert site.events(since=later[-1]["id"]) == []


def test_events_since_must_be_an_event_id(site: AdminClient) -> None:
    response = admin(site).get("/__admin/events?since=yesterday")
    assert response.status_code == 400
    assert response.json()["message"]


@pytest.mark.scenario("code-login")
def test_outbox_holds_the_login_codes_sent(site: AdminClient) -> None:
    assert site.outbox() == []
    visitor = Visitor(site.base_url)
    for _ in range(2):
        visitor.post("/api/v1/auth/start", json={"login": "code@okko.test"})
    messages = site.outbox()
    assert [m["to"] for m in messages] == ["code@okko.test", "code@okko.test"]
    assert messages[0]["id"] < messages[1]["id"]
    assert all({"subject", "body", "code", "sent_at"} <= m.keys() for m in messages)
    assert site.last_code("code@okko.test") == messages[-1]["code"]


# ------------------------------------------------------------------------------------- reset

SCENARIOS = [
    # scenario, e-mail, login method, card labels, {subscription: auto-renew}
    ("default", DEMO_EMAIL, "password", ["Visa •••• 4242"], {"Оптимум": True}),
    ("multi", DEMO_EMAIL, "password", ["Visa •••• 4242", "Мир •••• 0077"],
     {"Оптимум": True, "Оптимум + Амедиатека": True, "Премиум": True}),
    ("clean", DEMO_EMAIL, "password", [], {"Оптимум": False}),
    ("code-login", "code@okko.test", "code", ["Visa •••• 4242"], {"Оптимум": True}),
    ("stores", DEMO_EMAIL, "password", ["Visa •••• 4242"], {"Лайт": True, "Оптимум": True, "Премиум": True}),
]


@pytest.mark.parametrize(("scenario", "email", "method", "cards", "subscriptions"), SCENARIOS)
def test_reset_seeds_the_scenario(
    site: AdminClient, scenario: str, email: str, method: str, cards: list[str], subscriptions: dict[str, bool]
) -> None:
    site.reset("multi" if scenario != "multi" else "clean", "classic")  # start somewhere else
    site.reset(scenario, "classic")
    state = site.state()
    assert state["scenario"] == scenario
    [account] = state["accounts"]
    assert (account["email"], account["login_method"]) == (email, method)
    assert [c["label"] for c in account["cards"]] == cards
    assert {s["name"]: s["auto_renew"] for s in account["subscriptions"]} == subscriptions


@pytest.mark.scenario("multi")
def test_multi_bills_premium_through_the_app_store(site: AdminClient) -> None:
    subs = {s["name"]: s for s in site.account()["subscriptions"]}
    assert subs["Премиум"]["billing"] == "app_store"
    assert subs["Оптимум"]["card"] != subs["Оптимум + Амедиатека"]["card"]


@pytest.mark.scenario("crowd", accounts=25)
def test_crowd_seeds_the_given_number_of_accounts_that_can_all_log_in(site: AdminClient) -> None:
    emails = [a["email"] for a in site.state()["accounts"]]
    assert emails == [f"user{n:04d}@okko.test" for n in range(1, 26)]

    def log_in(email: str) -> int:
        body = {"login": email, "password": DEMO_PASSWORD}
        return Visitor(site.base_url).post("/api/v1/auth/login", json=body).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:  # several at once, as a batch run would
        statuses = dict(zip(emails, pool.map(log_in, emails)))
    assert statuses == dict.fromkeys(emails, 200)
    assert site.event_types() == ["login_ok"] * 25
    assert all(a["sessions"] == 1 for a in site.state()["accounts"])


def test_reset_undoes_changes_and_clears_the_event_log(site: AdminClient) -> None:
    visitor = signed_in(site)
    visitor.write(f"/api/v1/cards/{first_card(visitor)}/unbind", visitor.csrf_token())
    assert site.account()["cards"] == []
    site.reset("default", "classic")
    assert [c["label"] for c in site.account()["cards"]] == ["Visa •••• 4242"]
    assert site.events() == []
    assert visitor.get("/api/v1/me").status_code == 401  # old sessions are gone too


@pytest.mark.parametrize("variant", ["classic", "redesign", "breaking", "okko"])
def test_reset_sets_the_layout_variant(site: AdminClient, variant: str) -> None:
    site.reset("default", variant)
    assert site.state()["variant"] == variant
    assert f'data-variant="{variant}"' in Visitor(site.base_url).get("/").text


@pytest.mark.variant("breaking")
def test_breaking_variant_moves_payments_out_of_settings(site: AdminClient) -> None:
    visitor = signed_in(site)
    assert visitor.get("/settings/payments").status_code == 404
    assert visitor.get("/account/billing").status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "named"),
    [
        ("/__admin/reset", {"scenario": "nope"}, "nope"),
        ("/__admin/reset", {"scenario": "default", "variant": "retro"}, "retro"),
        ("/__admin/reset", {"scenario": "crowd", "accounts": "many"}, "accounts"),
        ("/__admin/reset", {"scenario": "crowd", "accounts": 0}, "accounts"),
        ("/__admin/reset", {"scenario": "default", "faults": {"earthquake": True}}, "earthquake"),
        ("/__admin/faults", {"earthquake": True}, "earthquake"),
        ("/__admin/faults", {"fail": {"path": "/api/", "status": 404}}, "status"),
        ("/__admin/faults", {"fail": {"path": "api", "status": 503}}, "path"),
        ("/__admin/faults", {"drop": {"path": "/api/", "count": 0}}, "count"),
    ],
    ids=["scenario", "variant", "accounts type", "accounts range", "reset fault", "fault", "fail status",
         "fail path", "drop count"],
)
def test_admin_refuses_unknown_settings_with_a_message(
    site: AdminClient, path: str, body: dict[str, Any], named: str
) -> None:
    response = admin(site).post(path, json=body)
    assert response.status_code == 400
    assert named in response.json()["message"]
    assert site.state()["scenario"] == "default"
    assert admin(site).get("/__admin/faults").json() == NO_FAULTS


def test_faults_round_trip(site: AdminClient) -> None:
    spec = {
        "latency_ms": 250,
        "latency_path": "/api/",
        "session_ttl_s": 30,
        "captcha": True,
        "promo_popup": True,
        "cancel_dialogs": "combined",
        "fail": {"path": "/api/v1/cards", "status": 429, "count": 2},
        "drop": [{"path": "/api/v1/devices", "count": 1, "after": True}],
        "expire": {"path": "/api/v1/cards/", "count": 1},
    }
    expected = {
        **spec,
        "session_ttl_s": 30.0,
        "fail": [{"path": "/api/v1/cards", "status": 429, "count": 2}],
        "drop": [{"path": "/api/v1/devices", "count": 1, "after": True}],
        "expire": [{"path": "/api/v1/cards/", "count": 1}],
    }
    assert admin(site).post("/__admin/faults", json=spec).json() == expected
    assert admin(site).get("/__admin/faults").json() == expected
    assert site.state()["faults"] == expected
    assert admin(site).delete("/__admin/faults").json() == NO_FAULTS
    assert admin(site).get("/__admin/faults").json() == NO_FAULTS


def test_reset_clears_faults(site: AdminClient) -> None:
    site.set_faults(captcha=True, fail={"path": "/api/v1/me", "status": 500, "count": 5})
    site.reset("default", "classic")
    assert admin(site).get("/__admin/faults").json() == NO_FAULTS
    assert signed_in(site).get("/api/v1/me").status_code == 200


def test_reset_can_set_faults(site: AdminClient) -> None:
    site.reset("default", "classic", faults={"captcha": True})
    response = Visitor(site.base_url).post("/api/v1/auth/start", json={"login": DEMO_EMAIL})
    assert response.status_code == 403


# ---------------------------------------------------------------------------- faults over HTTP


@pytest.mark.parametrize(("status", "count"), [(429, 1), (500, 2), (503, 3)])
def test_fail_answers_the_status_for_exactly_n_requests(site: AdminClient, status: int, count: int) -> None:
    visitor = signed_in(site)
    site.set_faults(fail={"path": "/api/v1/cards", "status": status, "count": count})
    failed = [visitor.get("/api/v1/cards") for _ in range(count)]
    assert [r.status_code for r in failed] == [status] * count
    assert all(r.json()["message"] for r in failed)
    if status == 429:
        assert all(int(r.headers["Retry-After"]) > 0 for r in failed)
    assert visitor.get("/api/v1/cards").status_code == 200
    assert admin(site).get("/__admin/faults").json()["fail"] == []


def test_fail_applies_only_under_its_path_prefix(site: AdminClient) -> None:
    visitor = signed_in(site)
    site.set_faults(fail={"path": "/api/v1/cards", "status": 503, "count": 1})
    assert visitor.get("/api/v1/me").status_code == 200
    assert visitor.get("/api/v1/payments").status_code == 200
    assert visitor.get("/settings/payments").status_code == 200
    assert visitor.get("/api/v1/cards").status_code == 503


def test_drop_before_closes_the_connection_and_the_write_does_not_happen(site: AdminClient) -> None:
    visitor = signed_in(site)
    card, token = first_card(visitor), visitor.csrf_token()
    site.set_faults(drop={"path": "/api/v1/cards/", "count": 1})
    with pytest.raises(requests.ConnectionError):
        visitor.write(f"/api/v1/cards/{card}/unbind", token)
    assert [c["id"] for c in site.account()["cards"]] == [card]
    assert "card_unbound" not in site.event_types()
    assert visitor.write(f"/api/v1/cards/{card}/unbind", token).status_code == 200  # the rule was used up


def test_drop_after_closes_the_connection_but_the_write_happened(site: AdminClient) -> None:
    visitor = signed_in(site)
    card, token = first_card(visitor), visitor.csrf_token()
    site.set_faults(drop={"path": "/api/v1/cards/", "count": 1, "after": True})
    with pytest.raises(requests.ConnectionError):
        visitor.write(f"/api/v1/cards/{card}/unbind", token)
    assert site.account()["cards"] == []
    assert site.event_types().count("card_unbound") == 1
    assert visitor.write(f"/api/v1/cards/{card}/unbind", token).status_code == 404


LATENCY_S = 0.3


def _timed(visitor: Visitor, path: str) -> float:
    started = time.perf_counter()
    response = visitor.get(path)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed


def test_latency_slows_only_requests_under_its_path(site: AdminClient) -> None:
    visitor = signed_in(site)
    site.set_faults(latency_ms=int(LATENCY_S * 1000), latency_path="/api/v1/cards")
    assert _timed(visitor, "/api/v1/cards") >= LATENCY_S
    assert _timed(visitor, "/api/v1/me") < LATENCY_S


def test_an_expired_session_gets_401_from_the_api(site: AdminClient) -> None:
    visitor = signed_in(site)
    assert visitor.get("/api/v1/me").status_code == 200
    site.set_faults(session_ttl_s=0)
    assert visitor.get("/api/v1/me").status_code == 401
    assert site.event_types()[-1] == "session_expired"


def test_an_expired_session_sends_pages_to_login(site: AdminClient) -> None:
    visitor = signed_in(site)
    site.set_faults(session_ttl_s=0)
    response = visitor.get("/settings/subscriptions", allow_redirects=False)
    assert response.status_code in (302, 303)
    location = urlsplit(response.headers["Location"])
    assert (location.path, location.query) == ("/login", "next=/settings/subscriptions")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/start", {"login": DEMO_EMAIL}),
        ("/api/v1/auth/login", {"login": DEMO_EMAIL, "password": DEMO_PASSWORD}),
    ],
)
def test_captcha_blocks_the_auth_api(site: AdminClient, path: str, body: dict[str, str]) -> None:
    site.set_faults(captcha=True)
    visitor = Visitor(site.base_url)
    response = visitor.post(path, json=body)
    assert response.status_code == 403
    assert response.json()["error"] == "captcha"
    assert "okko_session" not in visitor.http.cookies
    assert "login_ok" not in site.event_types()
