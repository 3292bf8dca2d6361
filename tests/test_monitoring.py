"""A scheduled `check` people rely on, end to end: three mornings on one data directory against
the bundled mock site in a real browser, with a real webhook on loopback for the alerts.

1. `breaking`: fails; nobody is alerted yet (one failure may be a bad morning); the badge says
   which step; the report links its screenshot and trace beside it and lists what was skipped.
2. `breaking` again: the one alert, naming the step, what it looked for and where the report is.
3. `okko`: passes; one "recovered"; the badge is green; the JUnit file has no failure;
   `history` has the three runs.

Each run costs a browser and the step's timeout, so one test walks all three.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.helpers import cli_env, error_line, run
from tests.webhook import Webhook, serve_webhook

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    with serve_webhook() as hook:
        yield hook


class Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend(value for name, value in attrs if name in ("href", "src") and value)


def targets(index: Path) -> list[str]:
    parser = Targets()
    parser.feed(index.read_text())
    return parser.found


def test_failing_twice_alerts_once_and_passing_again_says_recovered(
    data_dir: Path, tmp_path: Path, webhook: Webhook
) -> None:
    env = cli_env(data_dir, "https://okko.tv")
    badge = tmp_path / "badge.json"
    breaking = ["check", "--mock", "--variant", "breaking", "--timeout", "2", "--notify", webhook.url,
                "--badge", str(badge)]

    # Morning 1: the site changed overnight.
    first = run([*breaking, "--report", str(tmp_path / "first"), "--json"], env)

    assert first.exit_code == 1, first.output
    assert webhook.received == []
    [failed] = [s for s in json.loads(first.stdout)["steps"] if s["outcome"] == "failed"]
    assert (failed["group"], failed["name"]) == ("unbind-card", "Open «Оплата услуг»")  # «Оплата услуг» is gone
    # The one error line names the step and what it looked for.
    assert "«Open «Оплата услуг»»" in error_line(first) and "Оплата услуг" in error_line(first).split("»»", 1)[1]
    assert json.loads(badge.read_text()) == {"schemaVersion": 1, "label": "flows",
                                             "message": f"failing: «{failed['name']}»", "color": "red"}
    index = tmp_path / "first" / "index.html"
    links = targets(index)
    assert {Path(link).suffix for link in links} == {".png", ".zip"}
    assert all(not Path(link).is_absolute() and (index.parent / link).is_file() for link in links)
    html = index.read_text()
    assert "the rest of «unbind-card»" in html and "skipped" in html
    assert "ok (backed out, nothing changed)" in html

    # Morning 2: still broken, so someone is told, once.
    second = run([*breaking, "--report", str(tmp_path / "second"), "--json"], env)

    assert second.exit_code == 1, second.output
    [alert] = webhook.received
    assert alert["type"] == "failure" and alert["title"] == "okko-cancel check fails on the bundled mock site"
    message = alert["message"]
    assert "failed 2 runs in a row" in message
    assert f"Step «{failed['name']}» (unbind-card) failed: it looked for the link «Оплата услуг»" in message
    assert f"Report: {tmp_path / 'second' / 'index.html'}" in message
    assert "Alert sent: okko-cancel check fails on the bundled mock site" in second.stderr
    document = json.loads(second.stdout)
    skipped = [s for s in document["steps"] if s["outcome"] == "skipped"]
    assert [(s["group"], s["name"]) for s in skipped] == [("unbind-card", "the rest of «unbind-card»")]
    # The dry walks of auto-renew and the devices backed out at their last confirmation.
    assert {s["group"] for s in document["steps"] if s["backed_out"]} == {"disable-auto-renew", "sign-out-devices"}

    # Morning 3: fixed; the addresses now come from the setting.
    junit = tmp_path / "third.xml"
    third = run(["check", "--mock", "--badge", str(badge), "--report", str(tmp_path / "third"), "--junit", str(junit),
                 "--json"], {**env, "OKKO_NOTIFY_URLS": webhook.url})

    assert third.exit_code == 0, third.output
    assert int(ET.parse(junit).getroot().find("testsuite").get("failures")) == 0  # type: ignore[union-attr]
    assert [m["type"] for m in webhook.received] == ["failure", "success"]
    assert webhook.received[1]["title"] == "okko-cancel check passes again on the bundled mock site"
    assert json.loads(badge.read_text())["message"] == "passing"
    assert_trend_of_three_runs(tmp_path / "third" / "index.html", failed["name"])

    history = run(["history", "--json"], env)

    assert history.exit_code == 0, history.output
    runs = json.loads(history.stdout)["runs"]
    assert [(r["mode"], r["variant"], r["passed"], r["alert"]) for r in runs] == [
        ("mock", "okko", True, "recovered"), ("mock", "breaking", False, "failing"), ("mock", "breaking", False, None)]
    steps = {(s["group"], s["name"]): s for s in json.loads(history.stdout)["steps"]}
    opened = steps["unbind-card", failed["name"]]
    assert (opened["passed"], opened["failed"], opened["pass_rate"]) == (1, 2, 0.3333)
    assert opened["median_seconds"] > 0
    assert {s["pass_rate"] for s in steps.values() if s["group"] == "profile"} == {1.0}


def assert_trend_of_three_runs(index: Path, failed_twice: str) -> None:
    """The report's trend: a chart per step (inline SVG) over the three mornings, each step's
    pass rate beside it, and nothing loaded from elsewhere when it is opened."""
    html = index.read_text()
    assert "Each step over the last 3 runs" in html and "<svg" in html
    captions = [" ".join(unescape(re.sub(r"<[^>]+>", "", caption)).split())
                for caption in re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S) if "runs (" in caption]
    assert f"{failed_twice} (unbind-card): passed 1 of 3 runs (33%)" in captions
    assert "Open «Основные» (profile): passed 3 of 3 runs (100%)" in captions
    assert len(captions) == html.count("<svg")
    assert "<script" not in html and "<link" not in html and "@import" not in html
    # No attribute (src, href, xlink:href) nor style loads anything from a server.
    assert not re.search(r"""(?:href|src)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", html)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # the tests' output is theirs


@pytest.fixture
def not_okko(tmp_path: Path) -> Iterator[str]:
    """A site on loopback that is not OKKO at all (a folder served as files): no login page."""
    (tmp_path / "site").mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_login_page_that_changed_is_a_failure_and_every_flow_is_listed_skipped(
    data_dir: Path, tmp_path: Path, not_okko: str
) -> None:
    badge = tmp_path / "badge.json"

    result = run(["check", "--timeout", "1", "--json", "--badge", str(badge)],
                 cli_env(data_dir, not_okko, OKKO_LOGIN="demo@okko.test", OKKO_PASSWORD="not-sent"))

    assert result.exit_code == 1, result.output
    steps = json.loads(result.stdout)["steps"]
    [failed] = [s for s in steps if s["outcome"] == "failed"]
    assert failed["group"] == "login"
    assert [(s["group"], s["name"], s["detail"]) for s in steps if s["outcome"] == "skipped"] == [
        (flow, f"all of «{flow}»", "not run: the login failed")
        for flow in ("disable-auto-renew", "unbind-card", "sign-out-devices", "profile")]
    assert json.loads(badge.read_text())["message"] == f"failing: «{failed['name']}»"
