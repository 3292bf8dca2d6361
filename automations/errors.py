"""Errors that end a run, each tied to one exit code of the command-line contract.

The CLI maps any ``OkkoCancelError`` to ``exit_code`` so that scripts can tell a broken
flow (1) from a configuration problem (2), a rejected login (3), an unreachable site (4)
a situation only a person can resolve (5), a charge or renewal after a cancellation that
`watch` found (6), a declined confirmation (7) and Ctrl-C (130); see the README's exit codes.
"""

from __future__ import annotations

from typing import ClassVar

from automations.i18n import _


class OkkoCancelError(Exception):
    """Base of every error the CLI turns into an exit code and a one-line message."""

    exit_code: ClassVar[int] = 1


class ConfigurationError(OkkoCancelError):
    """Usage or configuration is wrong: missing credentials, no ``--yes`` without a terminal."""

    exit_code: ClassVar[int] = 2


class BrowserNotFound(ConfigurationError):
    """No usable Chromium/Chrome: the user has to install one or point OKKO_BROWSER_PATH at it."""


class FlowFailed(OkkoCancelError):
    """The site did not behave as a flow expected; names the step and the element."""

    exit_code: ClassVar[int] = 1

    def __init__(self, step: str, element: str, detail: str = "") -> None:
        self.step = step
        self.element = element
        self.detail = detail
        message = _("step {step!r} failed at element {element!r}").format(step=step, element=element)
        super().__init__(_("{message}: {detail}").format(message=message, detail=detail) if detail else message)

    # Exception pickling replays self.args into __init__; that one-argument form would not
    # match this signature, and pytest-xdist / multiprocessing pickle exceptions.
    def __reduce__(self) -> tuple[type[FlowFailed], tuple[str, str, str]]:
        return (type(self), (self.step, self.element, self.detail))


class LoginRejected(OkkoCancelError):
    """The site refused the credentials or the account is locked; never retried."""

    exit_code: ClassVar[int] = 3


class SiteUnreachable(OkkoCancelError):
    """The site could not be reached, or kept failing after bounded retries."""

    exit_code: ClassVar[int] = 4


class HumanNeeded(OkkoCancelError):
    """A CAPTCHA or a login code that nobody is there to type in."""

    exit_code: ClassVar[int] = 5


class SessionExpired(OkkoCancelError):
    """The site sent the login page where a settings section should be: the session ended.
    A run logs in again once and goes on; a second expiry ends the run."""

    exit_code: ClassVar[int] = 3

    def __init__(self, section: str) -> None:
        self.section = section
        super().__init__(_("the site ended the session at «{section}» again right after a fresh login: run the "
                           "command again later, or `okko-cancel login`").format(section=section))

    def __reduce__(self) -> tuple[type[SessionExpired], tuple[str]]:
        return (type(self), (self.section,))


class ChargedAfterCancel(OkkoCancelError):
    """`watch` found the site charging or renewing after a cancellation a receipt records; the
    message names how many findings and where their evidence pack is."""

    exit_code: ClassVar[int] = 6


class Declined(OkkoCancelError):
    """The person answered no at the confirmation: nothing was changed."""

    exit_code: ClassVar[int] = 7


class Interrupted(OkkoCancelError):
    """Ctrl-C (SIGINT): the message says what was already done; a receipt keeps it, marked
    interrupted. 130 is what shells report for a command ended by SIGINT."""

    exit_code: ClassVar[int] = 130
