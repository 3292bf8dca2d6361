"""The live check unattended: a session carried in OKKO_SESSION (`session export`), and the
login code read from the mailbox (`--code-from-imap`) on a real IMAP server on loopback, into
which the mock site delivers its code e-mails."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures import DEMO_EMAIL, AdminClient, MockSite
from tests.helpers import cli_env, closed_port, error_line, events_of, run
from tests.imap_server import ImapServer, serve_imap
from tests.webhook import serve_webhook

# Whole commands: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

NO_BROWSER = {"OKKO_BROWSER_PATH": "/nonexistent/chrome"}


@pytest.fixture
def imap() -> Iterator[ImapServer]:
    with serve_imap() as server:
        yield server


def unattended(data: Path, site_url: str, **extra: str) -> dict[str, str | None]:
    """A scheduled job's environment: no code command and no terminal."""
    return cli_env(data, site_url, OKKO_CODE_COMMAND=None, **extra)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- the mailbox


def test_status_logs_in_with_the_code_from_the_mailbox(site: AdminClient, mock_site: MockSite, imap: ImapServer,
                                                      data_dir: Path) -> None:
    site.deliver_mail(imap.url(), imap.password)

    result = run(["status", "--code-from-imap", imap.url()],
                 unattended(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_CODE_IMAP_PASSWORD=imap.password))

    assert result.exit_code == 0, result.output
    assert [e["type"] for e in site.events() if e["type"].startswith("login")] == ["login_code_sent", "login_ok"]
    assert imap.count() == 1 and site.mailbox()["delivered"] == 1
    assert imap.password not in result.output


@pytest.mark.parametrize(("where", "password", "code", "said"), [
    ("open", "wrong-SENTINEL-pw", 2, "refused the login"),
    ("closed", "any-SENTINEL-pw", 4, "cannot reach the mail server"),
], ids=["wrong password", "unreachable"])
def test_a_mailbox_that_cannot_be_read_is_one_line_before_any_code_is_sent(
        site: AdminClient, mock_site: MockSite, imap: ImapServer, data_dir: Path, where: str, password: str,
        code: int, said: str) -> None:
    url = imap.url() if where == "open" else f"imap://me@127.0.0.1:{closed_port()}"

    result = run(["status"], unattended(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_CODE_IMAP=url,
                                        OKKO_CODE_IMAP_PASSWORD=password))

    assert result.exit_code == code, result.output
    assert said in error_line(result) and "SENTINEL" not in result.output
    assert "Traceback" not in result.output
    assert events_of(site, "login_code_sent") == []


def test_plain_imap_to_another_machine_is_refused_before_any_browser(site: AdminClient, mock_site: MockSite,
                                                                    data_dir: Path) -> None:
    result = run(["status"], unattended(data_dir, mock_site.url, OKKO_LOGIN=DEMO_EMAIL, **NO_BROWSER,
                                        OKKO_CODE_IMAP="imap://me@mail.example.com", OKKO_CODE_IMAP_PASSWORD="pw"))

    assert result.exit_code == 2, result.output
    assert error_line(result) == ("Error: bad setting code_imap (OKKO_CODE_IMAP or --code-from-imap): imap:// sends the "
                                  "password unencrypted: use imaps:// (imap:// only on this machine)")
    assert site.event_types() == []


# ------------------------------------------------------------------------------ the session


@pytest.fixture
def exported(site: AdminClient, mock_site: MockSite, tmp_path: Path) -> str:
    """`okko-cancel login` on a person's machine, then `session export`: the secret's value."""
    home = tmp_path / "home"
    assert run(["login"], cli_env(home, mock_site.url, OKKO_LOGIN=DEMO_EMAIL)).exit_code == 0
    result = run(["session", "export"], cli_env(home, mock_site.url))
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_an_exported_session_signs_a_fresh_machine_in_without_a_code(site: AdminClient, mock_site: MockSite,
                                                                    exported: str, data_dir: Path) -> None:
    codes_before = len(events_of(site, "login_code_sent"))

    result = run(["status"], unattended(data_dir, mock_site.url, OKKO_SESSION=exported))

    assert result.exit_code == 0, result.output
    assert len(events_of(site, "login_code_sent")) == codes_before
    assert stat.S_IMODE((data_dir / "session.json").stat().st_mode) == 0o600
    assert exported not in result.output


def test_check_on_a_session_the_site_ended_exits_5_and_alerts(site: AdminClient, mock_site: MockSite, exported: str,
                                                              data_dir: Path) -> None:
    site.reset()  # the site forgets every session
    with serve_webhook() as hook:
        # As the scheduled workflow runs it: OKKO_LOGIN set, OKKO_PASSWORD empty (no such secret).
        result = run(["check", "--notify", hook.url, "--alert-after", "1"],
                     unattended(data_dir, mock_site.url, OKKO_SESSION=exported, OKKO_LOGIN=DEMO_EMAIL,
                                OKKO_PASSWORD=""))

    assert result.exit_code == 5, result.output
    assert error_line(result) == (
        "Error: the site no longer accepts the saved session (OKKO_SESSION) and there is no way to log in unattended: "
        "log in on your own machine (`okko-cancel login`), then update the secret OKKO_SESSION with what "
        "`okko-cancel session export` prints")
    assert len(hook.received) == 1 and hook.received[0]["type"] == "failure"
    assert "login_ok" not in site.event_types()


@pytest.mark.parametrize("value", ["SENTINEL-pasted-wrong", "okko-session-1:SENTINEL", "okko-session-9:SENTINEL"])
def test_a_malformed_session_secret_is_one_line_before_any_browser(site: AdminClient, mock_site: MockSite,
                                                                   data_dir: Path, value: str) -> None:
    result = run(["status"], unattended(data_dir, mock_site.url, OKKO_SESSION=value, **NO_BROWSER))

    assert result.exit_code == 2, result.output
    assert error_line(result).startswith("Error: OKKO_SESSION is not a session from `okko-cancel session export` (")
    assert "SENTINEL" not in result.stderr
    assert site.event_types() == [] and not (data_dir / "session.json").exists()


def test_session_export_without_a_saved_session_is_one_line(data_dir: Path) -> None:
    result = run(["session", "export"], cli_env(data_dir, "https://okko.tv"))

    assert result.exit_code == 2
    assert error_line(result) == "Error: no saved session for okko.tv: run `okko-cancel login` first"
    assert result.stdout == ""
