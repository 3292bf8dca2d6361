"""A visitor of the mock site without a browser, for the tests of its HTML and JSON API."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import requests

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient


class _CsrfMeta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("name") == "csrf-token":
            self.token = values.get("content")


class Visitor:
    """One visitor without a browser: a `requests` session (cookies kept) bound to the site."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()
        self.http.trust_env = False  # the site is on loopback: no proxy from the environment

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.get(self.base_url + path, timeout=10, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.post(self.base_url + path, timeout=10, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.delete(self.base_url + path, timeout=10, **kwargs)

    def login(self, login: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> requests.Response:
        response = self.post("/api/v1/auth/login", json={"login": login, "password": password})
        assert response.status_code == 200, response.text
        return response

    def csrf_token(self) -> str:
        """The token the settings pages carry in `<meta name="csrf-token">`."""
        page = self.get("/settings/profile")
        assert page.status_code == 200, page.text
        parser = _CsrfMeta()
        parser.feed(page.text)
        assert parser.token, "no <meta name='csrf-token'> on /settings/profile"
        return parser.token

    def write(self, path: str, token: str | None, json: Any = None) -> requests.Response:
        headers = {} if token is None else {"X-CSRF-Token": token}
        return self.post(path, json={} if json is None else json, headers=headers)


def signed_in(site: AdminClient, login: str = DEMO_EMAIL) -> Visitor:
    visitor = Visitor(site.base_url)
    visitor.login(login)
    return visitor
