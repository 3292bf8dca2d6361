"""The runner around a flow: one fresh login when the session ends mid-flow, and a rejected
login remembered so that the same credentials are not tried again until `login` succeeds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from pydantic import SecretStr

from automations.credentials import Credentials
from automations.errors import LoginRejected
from automations.settings import Settings, load_settings
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from flows.runner import run_flow, verify_login
from flows.unbind_card import unbind_cards
from tests.commands import in_command_thread

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

T = TypeVar("T")
RIGHT = Credentials(DEMO_EMAIL, SecretStr(DEMO_PASSWORD))
WRONG = Credentials(DEMO_EMAIL, SecretStr("not-the-password"))


def in_own_thread(call: Callable[[], T]) -> T:
    """The runner drives Playwright's sync API; pytest-playwright's loop owns the main thread."""
    return in_command_thread(call)


@pytest.fixture
def settings(mock_site: MockSite, tmp_path: Path) -> Settings:
    return load_settings(base_url=mock_site.url, data_dir=tmp_path / "data", timeout_s=10)


def test_session_ending_mid_flow_means_one_fresh_login_and_the_change_done_once(
    site: AdminClient, settings: Settings, outbox_codes: Callable[[str], str]
) -> None:
    site.set_faults(expire={"path": "/api/v1/cards/", "count": 1})

    result = in_own_thread(lambda: run_flow(settings, "unbind-card", unbind_cards, credentials=RIGHT,
                                            code_provider=outbox_codes))

    assert result.value.changed == ["Visa •••• 4242"]
    assert site.account()["cards"] == []
    assert [t for t in site.event_types() if t != "login_code_sent"] == [
        "login_ok", "session_expired", "login_ok", "card_unbound"]


@pytest.mark.variant("classic")  # a password the site refuses; okko.tv logs in by code
def test_rejected_login_is_not_tried_again_until_login_succeeds(site: AdminClient, settings: Settings) -> None:
    with pytest.raises(LoginRejected):
        in_own_thread(lambda: run_flow(settings, "unbind-card", unbind_cards, credentials=WRONG))
    with pytest.raises(LoginRejected, match="not trying the same credentials again: run `okko-cancel login`"):
        in_own_thread(lambda: run_flow(settings, "unbind-card", unbind_cards, credentials=WRONG))
    assert site.event_types() == ["login_failed"]

    in_own_thread(lambda: verify_login(settings, RIGHT))
    in_own_thread(lambda: run_flow(settings, "unbind-card", unbind_cards, credentials=RIGHT))

    assert site.account()["cards"] == []
