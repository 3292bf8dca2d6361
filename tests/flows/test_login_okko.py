"""Signing in (flows/login.py) as okko.tv is known to do it, on the mock's `okko` layout: an
e-mail or phone in `sign_input`, a code sent by e-mail or SMS typed into a field with no label
and no button, the avatar's «Профиль» instead of a gear link once signed in.

Covered: a code signs in and the run lands on its starting section; a wrong code is one
refusal (exit 3), a locked account names the lock; a login that is not an e-mail or phone is a
configuration error the site confirms; a struggling site (503, 429 with Retry-After, a
dropped connection) during the login is retried and signs in, and one that keeps failing is
exit 4 and not a refusal; a live session is kept; the anti-bot page is HumanNeeded.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pydantic import SecretStr

from automations.credentials import Credentials
from automations.errors import HumanNeeded, LoginRejected, SiteUnreachable
from automations.pages import Header, PaymentsPage
from automations.steps import StepLog
from fixtures import DEMO_EMAIL, AdminClient
from flows.login import ensure_signed_in, sign_in
from tests.helpers import events_of, last_event_id

DEMO = Credentials(DEMO_EMAIL, SecretStr(""))
LOCK_AFTER = 5


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def expect_signed_in(page: Page) -> None:
    expect(page.get_by_role("button", name="Профиль")).to_be_visible()
    expect(page.locator('[test-id="nav_sign"]')).to_have_count(0)


def test_a_code_signs_in_and_the_run_lands_on_its_starting_section(
    site: AdminClient, consented_page: Page, steps: StepLog, outbox_codes: Callable[[str], str], loaded: list[str]
) -> None:
    fresh = ensure_signed_in(consented_page, steps, DEMO, code_provider=outbox_codes, start_on=PaymentsPage)

    assert fresh is True
    expect_signed_in(consented_page)
    expect(PaymentsPage(consented_page).tab).to_be_visible()
    assert loaded[0] == "settings/payments" and loaded[-1] == "settings/payments"
    assert [(e["account"], e["method"]) for e in events_of(site, "login_ok")] == [(DEMO_EMAIL, "code")]
    assert [m["kind"] for m in site.outbox()] == ["email"]


def test_a_live_session_is_kept(site: AdminClient, signed_in_page: Page, steps: StepLog) -> None:
    since = last_event_id(site)

    fresh = ensure_signed_in(signed_in_page, steps, DEMO, start_on=PaymentsPage)

    assert fresh is False
    assert Header(signed_in_page).is_signed_in()
    assert events_of(site, "login_ok", since) == []


def test_a_wrong_code_is_one_refusal(site: AdminClient, consented_page: Page, steps: StepLog) -> None:
    since = last_event_id(site)

    with pytest.raises(LoginRejected) as raised:
        sign_in(consented_page, steps, DEMO, code_provider=lambda login: wrong_code(site.last_code(login)))

    assert raised.value.exit_code == 3 and "Неверный код" in str(raised.value)
    assert site.event_types(since).count("login_failed") == 1
    assert site.account()["sessions"] == 0


def test_a_locked_account_is_refused_naming_the_lock(
    site: AdminClient, consented_page: Page, steps: StepLog, outbox_codes: Callable[[str], str]
) -> None:
    for _ in range(LOCK_AFTER):
        consented_page.request.post("/api/v1/auth/login", data={"login": DEMO_EMAIL, "code": "000000"})
    assert site.account()["locked"]

    with pytest.raises(LoginRejected, match="Слишком много попыток входа"):
        sign_in(consented_page, steps, DEMO, code_provider=outbox_codes)

    assert events_of(site, "login_ok") == []


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param({"fail": {"path": "/api/v1/auth/start", "status": 503, "count": 2}}, id="503-first-step"),
        pytest.param({"fail": {"path": "/api/v1/auth/login", "status": 429, "count": 1}}, id="429-code"),
        pytest.param({"drop": {"path": "/api/v1/auth/login", "count": 1}}, id="dropped-code"),
    ],
)
def test_a_struggling_site_during_the_login_is_retried_not_taken_for_a_refusal(
    site: AdminClient, consented_page: Page, steps: StepLog, outbox_codes: Callable[[str], str],
    fault: dict[str, object],
) -> None:
    site.set_faults(**fault)

    sign_in(consented_page, steps, DEMO, code_provider=outbox_codes)

    expect_signed_in(consented_page)
    assert len(events_of(site, "login_ok")) == 1 and events_of(site, "login_failed") == []


def test_a_site_that_keeps_failing_at_the_login_is_unreachable_not_a_refusal(
    site: AdminClient, consented_page: Page, steps: StepLog, outbox_codes: Callable[[str], str]
) -> None:
    site.set_faults(fail={"path": "/api/v1/auth/start", "status": 503, "count": 10})

    with pytest.raises(SiteUnreachable, match="not refused") as raised:
        sign_in(consented_page, steps, DEMO, code_provider=outbox_codes)

    assert raised.value.exit_code == 4
    assert events_of(site, "login_failed") == [] and site.outbox() == []


def test_the_anti_bot_page_needs_a_person(
    site: AdminClient, consented_page: Page, steps: StepLog, outbox_codes: Callable[[str], str]
) -> None:
    site.set_faults(captcha=True)

    with pytest.raises(HumanNeeded, match="okko-cancel login --headed") as raised:
        ensure_signed_in(consented_page, steps, DEMO, code_provider=outbox_codes)

    assert raised.value.exit_code == 5 and "/xpvnsulc/" in consented_page.url
    assert events_of(site, "login_ok") == []
