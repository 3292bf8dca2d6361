"""Alerts through Apprise (any of its URLs: `json://host/`, `tgram://…`, `mailto://…`): `check`
tells someone once the flows have failed N runs in a row (one alert per streak, not one a
morning), and once more when a run passes after that alert; `watch` alike, once N runs in a row
have found a charge or a renewal after a cancellation, and once more when a run finds nothing.
When to alert is read from the history (automations/history.py), which also remembers that an
alert was delivered.

A delivery that fails is a warning: the check's own outcome and exit code stand, and a streak
whose alert reached nobody is tried again at its next failing run.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from automations.errors import ConfigurationError
from automations.history import AlertKind, History, NewRun, Run
from automations.i18n import _

# An alert names this many failed steps, then counts the rest: a message, not the report.
NAMED_FAILURES = 3


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    title: str
    body: str


def due(history: History, run: Run, alert_after: int) -> tuple[AlertKind, list[Run]] | None:
    """Whether `run` (just recorded) calls for an alert, and the failing streak it is about:
    "failing" when this run makes `alert_after` failures in a row and nobody was told of the
    streak yet; "recovered" when it passes after a streak somebody was told of."""
    if not run.passed:
        streak = history.failing_streak(run)
        told = any(r.alert == "failing" for r in streak)
        return ("failing", streak) if len(streak) >= alert_after and not told else None
    streak = history.streak_before(run)
    return ("recovered", streak) if any(r.alert == "failing" for r in streak) else None


def compose(kind: AlertKind, streak: Sequence[Run], run: Run, failures: Sequence[Mapping[str, Any]], *,
            site: str, where: str) -> Alert:
    """The alert's words: the site, how many runs failed, each failed step of this run with
    what it looked for and where, and where the report is."""
    if kind == "recovered":
        return Alert(kind, _("okko-cancel check passes again on {site}").format(site=site), "\n".join((
            _("Every step passed at {time} UTC, after {runs} failing runs in a row.").format(
                time=run.started_at, runs=len(streak)),
            _("Report: {where}").format(where=where))))
    lines = [_("The check has failed {runs} runs in a row; the latest at {time} UTC.").format(
        runs=len(streak), time=run.started_at)]
    for step in failures[:NAMED_FAILURES]:
        lines.append(_("Step «{step}» ({flow}) failed: it looked for {element} at {url}.").format(
            step=step["name"], flow=step["group"], element=step["element"] or _("the page"),
            url=step["url"] or site))
    if len(failures) > NAMED_FAILURES:
        lines.append(_("And {more} more failed steps.").format(more=len(failures) - NAMED_FAILURES))
    lines.append(_("Report: {where}").format(where=where))
    return Alert(kind, _("okko-cancel check fails on {site}").format(site=site), "\n".join(lines))


def compose_watch(kind: AlertKind, streak: Sequence[Run], run: Run, findings: Sequence[Mapping[str, Any]], *,
                  site: str, where: str) -> Alert:
    """watch's alert: the site, how many runs in a row found something, this run's findings in
    a line each, and where the evidence is (with what to say on the hotline)."""
    if kind == "recovered":
        title = _("okko-cancel watch recovered: nothing charged or renewed after cancellation on {site}")
        return Alert(kind, title.format(site=site), "\n".join((
            _("Nothing was charged or renewed after a cancellation at {time} UTC, after {runs} runs in a row that "
              "found something.").format(time=run.started_at, runs=len(streak)),
            _("Report: {where}").format(where=where))))
    if errors := [str(finding["error"]) for finding in findings if finding.get("error")]:
        return Alert(kind, _("okko-cancel watch could not read the account on {site}").format(site=site), "\n".join((
            _("Watch has failed {runs} runs in a row; the latest at {time} UTC.").format(
                runs=len(streak), time=run.started_at),
            *errors, _("Report: {where}").format(where=where))))
    charged = any(finding.get("payment") for finding in findings)
    title = (_("okko-cancel watch found a charge after cancellation on {site}") if charged
             else _("okko-cancel watch found auto-renew or a card back after cancellation on {site}"))
    lines = [_("Watch has found something {runs} runs in a row; the latest at {time} UTC.").format(
        runs=len(streak), time=run.started_at)]
    lines.extend(str(finding["message"]) for finding in findings[:NAMED_FAILURES])
    if len(findings) > NAMED_FAILURES:
        lines.append(_("And {more} more findings.").format(more=len(findings) - NAMED_FAILURES))
    lines.append(_("Evidence (the receipts, the payments, the refund verdict and what to say on the hotline): "
                   "{where}").format(where=where))
    return Alert(kind, title.format(site=site), "\n".join(lines))


def where_is_the_report(*, report_index: Path | None, junit: Path | None, artifacts: Path | None,
                        environ: Mapping[str, str] | None = None) -> str:
    """Where a person finds this run's report: the CI run's page when the check runs in GitHub
    Actions (the files uploaded there), and the files on the machine that ran it."""
    environ = os.environ if environ is None else environ
    places: list[str] = []
    if environ.get("GITHUB_RUN_ID") and environ.get("GITHUB_REPOSITORY"):
        server = environ.get("GITHUB_SERVER_URL", "https://github.com")
        places.append(f"{server}/{environ['GITHUB_REPOSITORY']}/actions/runs/{environ['GITHUB_RUN_ID']}")
    places.extend(str(path.resolve()) for path in (report_index, junit) if path is not None)
    if artifacts is not None and report_index is None:
        places.append(str(artifacts.resolve()))
    return ", ".join(places) or _("the output of the run")


def check_urls(urls: Sequence[str]) -> None:
    """Refuses, before any browser starts, a URL Apprise cannot send to; never echoes a URL
    whole (it often holds a token), only its scheme and place."""
    if not urls:
        return
    import apprise  # ~0.4 CPU-s: only a run that has someone to tell pays it

    for place, url in enumerate(urls, start=1):
        if not apprise.Apprise().add(url):
            raise ConfigurationError(_(
                "notify URL {place} of {count} ({scheme}…) is not one Apprise can send to (--notify or "
                "OKKO_NOTIFY_URLS; see https://github.com/caronc/apprise/wiki)").format(
                    place=place, count=len(urls), scheme=_scheme(url)))


def deliver(urls: Sequence[str], alert: Alert, warn: Callable[[str], None]) -> int:
    """Sends the alert to every URL; how many took it. Each failure is a warning naming the
    service without its secrets (Apprise's privacy form of the URL) and why."""
    import apprise

    delivered = 0
    for url in urls:
        sender = apprise.Apprise()
        if not sender.add(url):
            warn(_("the alert was not sent to {url}: Apprise cannot send to this URL").format(url=_scheme(url)))
            continue
        # Apprise's privacy form hides passwords and tokens; its query only repeats the defaults.
        service = sender[0].url(privacy=True).partition("?")[0]
        kind = apprise.NotifyType.FAILURE if alert.kind == "failing" else apprise.NotifyType.SUCCESS
        # Apprise says why a delivery failed in its log, not in its answer: catch those lines.
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
            try:
                sent = bool(sender.notify(body=alert.body, title=alert.title, notify_type=kind))
            except Exception as error:  # noqa: BLE001 - whatever a plugin raises, the check's outcome stands
                sent, why = False, str(error)
            else:
                why = log.getvalue().strip().splitlines()[-1] if log.getvalue().strip() else ""
        if sent:
            delivered += 1
        else:
            warn(_("the alert was not delivered to {url}: {why}").format(url=service, why=why or _("no reason given")))
    return delivered


def alert_after_run(history: History, run: Run, failures: Sequence[Mapping[str, Any]], *, urls: Sequence[str],
                    alert_after: int, site: str, where: str, warn: Callable[[str], None]) -> Alert | None:
    """The alert `run` calls for, sent to `urls` and remembered when anyone got it; None when
    none was due or nobody is to be told."""
    if not urls:
        return None
    found = due(history, run, alert_after)
    if found is None:
        return None
    kind, streak = found
    alert = (compose_watch if run.command == "watch" else compose)(kind, streak, run, failures, site=site, where=where)
    if deliver(urls, alert, warn):
        history.mark_alert(run, kind)
        return alert
    return None


def record_and_alert(history: History | None, new: NewRun, failures: Sequence[Mapping[str, Any]], *,
                     urls: Sequence[str], alert_after: int, site: str, where: str,
                     warn: Callable[[str], None]) -> Alert | None:
    """After a `check` or a `watch`: the run into the history, then the alert it calls for, if
    any. Without a history (it could not be opened) there is nothing to count, so no alert; a
    history that cannot be written is a warning: the run's outcome stands."""
    if history is None:
        return None
    try:
        run = history.record(new)
        return alert_after_run(history, run, failures, urls=urls, alert_after=alert_after, site=site, where=where,
                               warn=warn)
    except sqlite3.Error as error:
        warn(_("the run was not recorded in the history {file}: {error}").format(file=history.path, error=error))
        return None


def _scheme(url: str) -> str:
    scheme, separator, _rest = url.partition("://")
    return f"{scheme}://" if separator else _("a URL without a scheme")
