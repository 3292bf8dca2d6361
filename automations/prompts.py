"""What a run asks of the person at the terminal, and where it gets what nobody types: the
credentials (settings, then the saved ones, then a prompt), the login code the site sends
(a command, the mailbox over IMAP, then a prompt), and the confirmation of a change. Without
a terminal nothing is asked: the error says which setting or option to give instead.

A code provider is called with the login the site sent the code to. One that has to see the
mailbox before the site sends the code (the IMAP one) also has `expecting(login)`, a context
manager that the login wraps around asking for the code (flows/login.py)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from typing import Literal, NamedTuple

import click
from pydantic import SecretStr

from automations.code_mailbox import mailbox_codes
from automations.credentials import CredentialStore, Credentials, check_login
from automations.errors import ConfigurationError, Declined, HumanNeeded
from automations.i18n import N_, _
from automations.session import SavedSession
from automations.settings import Settings

# Given the login the site sent the code to; returns the code, or None when nobody can say.
CodeProvider = Callable[[str], str | None]
CODE_COMMAND_TIMEOUT_S = 120
LOGIN_PROMPT = N_("E-mail or phone")
# okko.tv sends a code instead of asking for a password; a site that asks for one gets it.
PASSWORD_PROMPT = N_("Password (empty: okko.tv sends a code by e-mail or SMS)")


def on_terminal() -> bool:
    return sys.stdin.isatty()


def ask_password() -> SecretStr:
    return SecretStr(click.prompt(_(PASSWORD_PROMPT), default="", hide_input=True, show_default=False, err=True))


def credentials_to_save(settings: Settings) -> Credentials:
    """`okko-cancel login`: the login and password to verify and save. Where the site sends
    a code, no password is needed (the code command or a person gives the code)."""
    if not settings.login and not on_terminal():
        raise ConfigurationError(_("no login given: set OKKO_LOGIN (and OKKO_PASSWORD where the site asks for one), "
                                   "or run `okko-cancel login` on a terminal"))
    if settings.login:
        check_login(settings.login, "OKKO_LOGIN")
    login = settings.login or click.prompt(_(LOGIN_PROMPT), err=True)
    if settings.password is not None:
        return Credentials(login, settings.password)
    return Credentials(login, ask_password() if on_terminal() else SecretStr(""))


# Where a run's credentials came from, as `status` reports it ("code": OKKO_LOGIN alone, the
# code read by the code command or from the mailbox).
CredentialSource = Literal["settings", "keyring", "file", "code", "session", "prompt"]


class Resolved(NamedTuple):
    credentials: Credentials | None
    source: CredentialSource


def resolve_credentials(settings: Settings, store: CredentialStore) -> Resolved:
    """Settings first (OKKO_LOGIN/OKKO_PASSWORD), then the saved ones, then a prompt on a
    terminal; no credentials when only a saved browser session can help."""
    if settings.login:
        check_login(settings.login, "OKKO_LOGIN")
    if settings.login and settings.password is not None:
        return Resolved(Credentials(settings.login, settings.password), "settings")
    saved = store.load()
    if saved is not None and (not settings.login or settings.login == saved.login):
        return Resolved(saved, store.kind)
    if settings.login and settings.has_code_source and not on_terminal():
        # Nobody to ask, and the site's code is read without a person: the login is enough.
        return Resolved(Credentials(settings.login, SecretStr("")), "code")
    if SavedSession(settings.home, settings.login).load() is not None:
        return Resolved(None, "session")
    if not on_terminal():
        raise ConfigurationError(
            _("no saved credentials for {site}: run `okko-cancel login` on a terminal, or set OKKO_LOGIN and "
              "OKKO_PASSWORD").format(site=settings.site_key)
        )
    login = settings.login or click.prompt(_(LOGIN_PROMPT), err=True)
    return Resolved(Credentials(login, ask_password()), "prompt")


def describe_source(source: CredentialSource, store: CredentialStore) -> str:
    """Where the credentials came from, for a person: never a file that does not exist."""
    if source == "settings":
        return _("OKKO_LOGIN and OKKO_PASSWORD (the environment, .env or config.toml)")
    if source == "code":
        return _("OKKO_LOGIN, with the code the site sent read by OKKO_CODE_COMMAND or from OKKO_CODE_IMAP's mailbox")
    if source == "session":
        return _("none: the saved browser session was used")
    if source == "prompt":
        return _("typed in on the terminal (not saved: `okko-cancel login` saves them)")
    return store.describe()


def code_from_command(command: str) -> CodeProvider:
    """The code printed by `command`, which finds whose code is wanted in OKKO_CODE_FOR (a
    batch logs in many accounts)."""

    def from_command(login: str) -> str | None:
        env = {**os.environ, "OKKO_CODE_FOR": login}
        try:
            done = subprocess.run(shlex.split(command), capture_output=True, text=True, env=env,
                                  timeout=CODE_COMMAND_TIMEOUT_S, check=False)
        except (OSError, ValueError, subprocess.TimeoutExpired) as error:
            raise ConfigurationError(_("the code command failed to run: {error}").format(error=error)) from None
        if done.returncode != 0:
            raise ConfigurationError(_("the code command exited with {code}: {output}").format(
                code=done.returncode, output=done.stderr.strip()[:200]))
        return done.stdout.strip() or None

    return from_command


# OKKO_SESSION's session ended, and nothing here can log in again: what a person does.
SESSION_ENDED = N_("the site no longer accepts the saved session (OKKO_SESSION) and there is no way to log in "
                   "unattended: log in on your own machine (`okko-cancel login`), then update the secret OKKO_SESSION "
                   "with what `okko-cancel session export` prints")


class SessionOnly:
    """The code provider of a run that lives on a carried session (OKKO_SESSION) with no
    terminal and nothing else to read a code: asked for one, it says what a person must do."""

    def __call__(self, login: str) -> str | None:
        raise self.session_ended()

    @staticmethod
    def session_ended() -> HumanNeeded:
        return HumanNeeded(_(SESSION_ENDED))


def code_provider(settings: Settings) -> CodeProvider | None:
    """Where a login code comes from: the code command, else the mailbox (--code-from-imap),
    else the person at the terminal, else nowhere (the login then needs a person at a window,
    exit 5; with OKKO_SESSION, the message says to export the session again)."""
    if settings.code_command:
        return code_from_command(settings.code_command)
    if settings.code_imap:
        return mailbox_codes(settings.code_imap, settings.code_imap_password, settings.timeout_s)
    if on_terminal():
        return lambda login: click.prompt(_("The code the site sent to {login}").format(login=login), err=True)
    if settings.session is not None and settings.headless:
        return SessionOnly()
    return None


# The answers a person may give at a confirmation, in either language of the output.
YES_ANSWERS = frozenset({"y", "yes", "д", "да"})
NO_ANSWERS = frozenset({"n", "no", "н", "нет", ""})


def yes_or_no(answer: str) -> bool:
    """A confirmation's answer: yes or no in either language of the output (Enter is no);
    anything else is asked again."""
    word = answer.strip().casefold()
    if word in YES_ANSWERS:
        return True
    if word in NO_ANSWERS:
        return False
    raise click.BadParameter(_("answer y or n (да или нет)"))


def confirm_change(question: str, *, yes: bool, dry_run: bool) -> None:
    """Asks before the account changes; --yes or a dry run asks nothing. No (the default)
    ends the run before anything happens on the site: Declined, exit 7."""
    if yes or dry_run:
        return
    if not on_terminal():
        raise ConfigurationError(_("this changes the account: pass --yes to confirm (there is no terminal to ask on)"))
    if not click.prompt(f"{question} [y/N]", default="", show_default=False, value_proc=yes_or_no, err=True):
        raise Declined(_("declined: nothing was changed"))
