"""`--connect WS_URL`: the flows on a remote Playwright browser server. A `playwright
run-server` on loopback, `unbind-card --yes` through it, the change read back from the
site's admin API.

OKKO_BROWSER_PATH points at a file that does not exist: a local launch would exit 2 on it,
so a run that succeeds drove the server's browser (tests/browser_servers.py starts the
server and tells it which browser to launch).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.browser_servers import BrowserServer
from tests.browser_servers import browser_server as started_browser_server
from tests.helpers import cli_env, run

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow


@pytest.fixture
def browser_server() -> Iterator[BrowserServer]:
    """A `playwright run-server` on a free loopback port."""
    with started_browser_server() as server:
        yield server


def test_a_flow_runs_on_a_remote_browser_server(
    browser_server: BrowserServer, mock_site: MockSite, site: AdminClient, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    endpoint = browser_server.url
    env = cli_env(tmp_path / "data", mock_site.url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD,
                  OKKO_BROWSER_PATH=str(tmp_path / "no-such-browser"))

    result = run(["unbind-card", "--yes", "--connect", endpoint], env)

    assert result.exit_code == 0, result.output
    assert site.account()["cards"] == []
    assert site.event_types().count("card_unbound") == 1
    assert len(list((tmp_path / "data" / "receipts").glob("*-unbind-card.json"))) == 1
