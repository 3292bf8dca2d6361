"""Bad input, table-driven: each case's exit code and its exact one-line message, and
nothing half-done: no change reaches the site, and no session is saved from a rejected login."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, MockSite
from tests.keyrings import MemoryKeyring
from tests.helpers import cli_env, closed_port, error_line, run

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

CHANGE_EVENTS = {"card_unbound", "card_bound", "auto_renew_disabled", "auto_renew_enabled", "offer_accepted",
                 "device_signed_out"}
REJECTED = ("Error: the site rejected the login for {login} («Неверный логин или пароль»): check the password and run "
            "`okko-cancel login` again; not retried, to avoid locking the account")


@dataclass(frozen=True)
class Place:
    """Where one case runs: the data dir and the mock site's URL."""

    data: Path
    url: str

    @property
    def host(self) -> str:
        return self.url.removeprefix("http://")


def lock_the_demo_account(place: Place) -> None:
    for _ in range(5):
        request = urllib.request.Request(
            place.url + "/api/v1/auth/login", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"login": DEMO_EMAIL, "password": "wrong"}).encode(),
        )
        try:
            urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request)
        except urllib.error.HTTPError:
            pass


def corrupt(name: str) -> Callable[[Place], None]:
    def write(place: Place) -> None:
        place.data.mkdir(parents=True, exist_ok=True)
        (place.data / name).write_text("{not json")

    return write


def data_dir_under_a_file(place: Place) -> None:
    place.data.parent.write_text("")


@dataclass(frozen=True)
class Case:
    args: list[str]
    code: int
    message: str  # a regular expression when it starts with ^, else the exact line
    env: dict[str, str] = field(default_factory=dict)
    setup: Callable[[Place], None] = lambda place: None
    signed_in: bool = True
    file_keyring: bool = False
    data_dir: str = "data"
    variant: str = "okko"
    reaches_site: bool = True  # False: refused before anything was sent to the site


WRONG = {"OKKO_PASSWORD": "wrong-password"}
NO_BROWSER = {"OKKO_BROWSER_PATH": "/nonexistent/chrome"}
# Whether the CLI names OKKO_LOGIN (automations/prompts.py) or the credentials' own check speaks.
NOT_A_LOGIN = r"^Error: (OKKO_LOGIN|the login) «{login}» is neither an e-mail nor a phone number \(\+7 999 123-45-67\)$"
CASES = {
    "wrong password": Case(["unbind-card", "--yes"], 3, REJECTED.format(login=DEMO_EMAIL), env=WRONG,
                           variant="classic"),
    "unknown account": Case(["unbind-card", "--yes"], 3, REJECTED.format(login="nobody@okko.test"),
                            env={"OKKO_LOGIN": "nobody@okko.test"}, variant="classic"),
    "wrong code": Case(["unbind-card", "--yes"], 3, "Error: the site rejected the login for demo@okko.test («Неверный "
                       "код»): check the password and run `okko-cancel login` again; not retried, to avoid locking the "
                       "account", env={"OKKO_CODE_COMMAND": "echo 000000"}),
    # Refused before any browser starts: the browser path leads nowhere, so a browser that
    # started would end the run with another message.
    "not an e-mail or phone": Case(["status"], 2, NOT_A_LOGIN.format(login="notanemail"),
                                   env={"OKKO_LOGIN": "notanemail", **NO_BROWSER}, reaches_site=False),
    "a phone one digit short": Case(["status"], 2, NOT_A_LOGIN.format(login=r"\+7 999 123-45-6"),
                                    env={"OKKO_LOGIN": "+7 999 123-45-6", **NO_BROWSER}, reaches_site=False),
    "login: not an e-mail or phone": Case(["login"], 2, NOT_A_LOGIN.format(login="notanemail"),
                                          env={"OKKO_LOGIN": "notanemail", **NO_BROWSER}, signed_in=False,
                                          reaches_site=False),
    "locked account": Case(["unbind-card", "--yes"], 3,
                           "Error: the site locked demo@okko.test after too many attempts («Слишком много попыток входа. "
                           "Попробуйте позже.»): wait 15 minutes, then run `okko-cancel login`",
                           setup=lock_the_demo_account),
    "malformed base URL": Case(["status"], 2, "Error: bad setting base_url (OKKO_BASE_URL or --base-url): must be an "
                               "http(s) URL such as https://okko.tv", env={"OKKO_BASE_URL": "okko.tv"}),
    "unreachable host": Case(["status"], 4, r"^Error: the site could not be reached during 'Open the settings': "
                             r"Page\.goto: net::ERR_CONNECTION_REFUSED at http://127\.0\.0\.1:\d+/settings/subscriptions$",
                             env={"OKKO_BASE_URL": "CLOSED"}),
    "unsafe port": Case(["status"], 4, "Error: the site could not be reached during 'Open the settings': Page.goto: "
                        "net::ERR_UNSAFE_PORT at http://127.0.0.1:1/settings/subscriptions (browsers never connect "
                        "to this port: serve the site on another one)", env={"OKKO_BASE_URL": "http://127.0.0.1:1"},
                        reaches_site=False),
    "missing credentials": Case(["status"], 2, "Error: no saved credentials for {host}: run `okko-cancel login` on a "
                                "terminal, or set OKKO_LOGIN and OKKO_PASSWORD", signed_in=False),
    "change without --yes": Case(["unbind-card"], 2, "Error: this changes the account: pass --yes to confirm (there "
                                 "is no terminal to ask on)"),
    "unknown --card": Case(["unbind-card", "--yes", "--card", "1111"], 2,
                           "Error: no bound card ends in 1111 (bound cards: Visa •••• 4242)"),
    "unknown --subscription": Case(["disable-auto-renew", "--yes", "--subscription", "Кино+"], 2,
                                   "Error: no subscription named «Кино+» (the account has: «Оптимум»)"),
    "unknown --device": Case(["sign-out-devices", "--yes", "--device", "Toaster"], 2,
                             "Error: no device named «Toaster» (other devices: «Samsung Smart TV», «iPhone 13», "
                             "«Chrome, Windows»)"),
    "corrupt credentials file": Case(["status"], 2, "Error: credentials file {data}/credentials.json is unreadable "
                                     "(JSONDecodeError): delete it and run `okko-cancel login` again",
                                     setup=corrupt("credentials.json"), signed_in=False, file_keyring=True),
    "unwritable data dir": Case(["unbind-card", "--yes"], 2, "Error: data directory {data} is not writable (Not a "
                                "directory): set OKKO_DATA_DIR or --data-dir to a writable folder",
                                setup=data_dir_under_a_file, data_dir="a-file/data"),
    "no browser": Case(["status"], 2, "Error: Browser path /nonexistent/chrome (from OKKO_BROWSER_PATH / "
                       "--browser-path) does not exist: set it to a Chrome/Chromium executable, or unset it to use "
                       "the bundled or system browser.", env={"OKKO_BROWSER_PATH": "/nonexistent/chrome"}),
}


@pytest.fixture
def keyring_for(request: pytest.FixtureRequest) -> Iterator[None]:
    previous = keyring.get_keyring()
    case: Case = CASES[request.node.callspec.params["name"]]
    keyring.set_keyring(keyring.backends.fail.Keyring() if case.file_keyring else MemoryKeyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize("name", CASES)
def test_bad_input_exits_with_one_clear_line_and_changes_nothing(
    name: str, keyring_for: None, site: AdminClient, mock_site: MockSite, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = CASES[name]
    site.reset("default", case.variant)
    monkeypatch.chdir(tmp_path)
    place = Place(tmp_path / case.data_dir, mock_site.url)
    case.setup(place)
    env = cli_env(place.data, mock_site.url, OKKO_TIMEOUT_S="10")
    if case.signed_in:
        env.update(OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
    env.update(case.env)
    if env.get("OKKO_BASE_URL") == "CLOSED":
        env["OKKO_BASE_URL"] = f"http://127.0.0.1:{closed_port()}"
    before = site.account()

    result = run(case.args, env)

    assert result.exit_code == case.code, result.output
    line = error_line(result)
    expected = case.message.format(data=place.data, host=place.host)
    assert re.match(expected, line) if expected.startswith("^") else line == expected
    assert not CHANGE_EVENTS & set(site.event_types())
    if not case.reaches_site:
        assert site.event_types() == []
    assert site.account()["cards"] == before["cards"]
    if case.code == 3:
        assert not (place.data / "session.json").exists()
