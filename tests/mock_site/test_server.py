"""Tests of the helper that serves the mock site (`serve_mock_site`) and of the app factory's
start-up options (`create_app(scenario=..., variant=..., faults=...)`).

Covered: the helper yields a loopback URL on a free port that answers; two instances at once
keep separate state; the port refuses connections once the context exits; the factory seeds
the scenario and variant it is given and applies start-up faults.
"""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from fixtures import DEMO_EMAIL, AdminClient, MockSite, create_app, serve_mock_site
from tests.mock_site.visitor import Visitor, signed_in


def db(tmp_path: Path) -> str:
    """A database file the test cleans up (create_app otherwise makes a temporary one)."""
    return str(tmp_path / "site.sqlite3")


def test_serve_mock_site_yields_a_loopback_url_on_a_free_port(mock_site: MockSite) -> None:
    with serve_mock_site() as served:
        url = urlsplit(served.url)
        assert (url.scheme, url.hostname) == ("http", "127.0.0.1")
        assert url.port == served.port
        assert url.port not in (None, 0, urlsplit(mock_site.url).port)
        home = Visitor(served.url).get("/")
        assert home.status_code == 200
        assert '<html lang="ru">' in home.text


def test_two_sites_at_once_keep_separate_state() -> None:
    with serve_mock_site("default", "classic") as first, serve_mock_site("default", "classic") as second:
        assert first.url != second.url
        one, other = AdminClient(first.url), AdminClient(second.url)
        visitor = signed_in(one)
        card = visitor.get("/api/v1/cards").json()["cards"][0]["id"]
        assert visitor.write(f"/api/v1/cards/{card}/unbind", visitor.csrf_token()).status_code == 200

        assert one.account()["cards"] == []
        assert [c["label"] for c in other.account()["cards"]] == ["Visa •••• 4242"]
        assert other.event_types() == []
        stranger = Visitor(second.url)
        stranger.http.cookies.update(visitor.http.cookies)  # the first site's session cookie
        assert stranger.get("/api/v1/me").status_code == 401


def test_the_port_refuses_connections_after_the_context_exits() -> None:
    with serve_mock_site() as served:
        port = served.port
        assert Visitor(served.url).get("/").status_code == 200
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    with pytest.raises(requests.ConnectionError):
        Visitor(f"http://127.0.0.1:{port}").get("/")


def test_serve_mock_site_passes_the_scenario_variant_and_faults_on() -> None:
    with serve_mock_site("multi", "redesign", faults={"captcha": True}) as served:
        state = AdminClient(served.url).state()
        assert (state["scenario"], state["variant"]) == ("multi", "redesign")
        assert state["faults"]["captcha"] is True
        response = Visitor(served.url).post("/api/v1/auth/start", json={"login": DEMO_EMAIL})
        assert response.status_code == 403


def test_create_app_seeds_the_scenario_and_variant(tmp_path: Path) -> None:
    client = create_app(scenario="crowd", variant="breaking", accounts=3, database=db(tmp_path)).test_client()
    state = client.get("/__admin/state").get_json()
    assert (state["scenario"], state["variant"]) == ("crowd", "breaking")
    assert [a["email"] for a in state["accounts"]] == [f"user000{n}@okko.test" for n in (1, 2, 3)]


def test_create_app_applies_start_up_fail_faults(tmp_path: Path) -> None:
    app = create_app(faults={"fail": {"path": "/api/v1/me", "status": 503, "count": 2}}, database=db(tmp_path))
    client = app.test_client()
    assert [client.get("/api/v1/me").status_code for _ in range(3)] == [503, 503, 401]


def test_create_app_applies_start_up_captcha_and_session_ttl(tmp_path: Path) -> None:
    client = create_app(faults={"captcha": True, "session_ttl_s": 5}, database=db(tmp_path)).test_client()
    faults = client.get("/__admin/faults").get_json()
    assert (faults["captcha"], faults["session_ttl_s"]) == (True, 5.0)
    assert client.post("/api/v1/auth/start", json={"login": DEMO_EMAIL}).status_code == 403


@pytest.mark.parametrize(
    "options",
    [{"scenario": "nope"}, {"variant": "retro"}, {"faults": {"earthquake": True}}],
    ids=["scenario", "variant", "fault"],
)
def test_create_app_refuses_unknown_options(tmp_path: Path, options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        create_app(database=db(tmp_path), **options)  # type: ignore[arg-type]
