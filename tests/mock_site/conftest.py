"""Fixtures of the mock site's own tests: a page signed in on the `okko` layout, where a
password is refused and `signed_in_page` cannot be used."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from fixtures import DEMO_EMAIL, AdminClient
from tests.mock_site.okko_support import sign_in_by_code


@pytest.fixture
def okko_login() -> str:
    """Who `okko_page` signs in as; a module or test overrides it for another scenario."""
    return DEMO_EMAIL


@pytest.fixture
def okko_page(consented_page: Page, site: AdminClient, okko_login: str) -> Page:
    """Signed in by an e-mailed code through the site's API (no UI steps); the browser in use
    is the account's current device («Chrome, Linux» for a headless Chromium on Linux)."""
    sign_in_by_code(consented_page.request, site, okko_login)
    return consented_page
