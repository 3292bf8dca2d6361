"""The trend in `check`'s HTML report: each step over the last TREND_RUNS runs of its scope
(from the history, this run last), as a small bar chart per step (a bar's height is the step's
seconds, its colour the outcome; no bar where the step was skipped or not there), and how often
it passed. The section's markup: automations/templates/trend_section.html.j2.

pygal draws each chart as static SVG, inlined in the report so that it opens anywhere, offline.
Its tooltip script, which pygal would load from a CDN, is left out: what the script would have
shown on hover becomes each bar's <title>, which a browser shows by itself. pygal (~0.1 CPU-s to
import) is imported only when a report is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import Markup

from automations.history import NewRun, StepRun
from automations.i18n import _, ngettext

TREND_RUNS = 30
COLOURS = {"ok": "#11875d", "failed": "#c4233f"}
CHART_WIDTH, CHART_HEIGHT = 340, 110

@dataclass(frozen=True)
class StepTrend:
    """One step across the runs: per run, oldest first, the step as it ran there (None where it
    was not there), and how often it passed when it ran (a skipped step did not run)."""

    group: str
    name: str
    occurrence: int  # a name a flow gives two of its steps: the first, the second
    points: tuple[tuple[str, StepRun] | None, ...]  # (the run's start, the step)

    @property
    def passed(self) -> int:
        return sum(1 for point in self.points if point and point[1].outcome == "ok")

    @property
    def failed(self) -> int:
        return sum(1 for point in self.points if point and point[1].outcome == "failed")

    @property
    def shown_name(self) -> str:
        """Its name, and which of its flow's steps by that name when it is not the first."""
        return self.name if self.occurrence == 1 else f"{self.name} ({self.occurrence})"

    @property
    def rate_words(self) -> str:
        ran = self.passed + self.failed
        # English says it alike whatever the number; Russian declines «запуск» by it.
        words = ngettext("passed {passed} of {ran} runs ({percent:.0f}%)",
                         "passed {passed} of {ran} runs ({percent:.0f}%)", ran)
        return words.format(passed=self.passed, ran=ran, percent=100 * self.passed / ran)


def step_trends(runs: Sequence[NewRun]) -> list[StepTrend]:
    """Each step that ran (passed or failed) in at least one of `runs` (oldest first): the
    last run's in its order (as the report's table lists them), then those only earlier runs
    had, in the order they first appear."""
    columns: dict[tuple[str, str, int], list[tuple[str, StepRun] | None]] = {}
    for number, run in enumerate(runs):
        for key, step in zip(_keys(run.steps), run.steps, strict=True):
            column = columns.setdefault(key, [None] * len(runs))
            if step.outcome != "skipped":
                column[number] = (run.started_at, step)
    last = {key: number for number, key in enumerate(_keys(runs[-1].steps))} if runs else {}
    order = sorted(columns, key=lambda key: last.get(key, len(last)))  # a stable sort: the rest keep theirs
    return [StepTrend(group, name, nth, tuple(columns[group, name, nth])) for group, name, nth in order
            if any(columns[group, name, nth])]


def _keys(steps: Sequence[StepRun]) -> list[tuple[str, str, int]]:
    """Each step's key in a run: its flow, its name, and which of the flow's steps by that name."""
    seen: dict[tuple[str, str], int] = {}
    keys = []
    for step in steps:
        seen[step.group, step.name] = seen.get((step.group, step.name), 0) + 1
        keys.append((step.group, step.name, seen[step.group, step.name]))
    return keys


def trend_section(runs: Sequence[NewRun]) -> Markup:
    """The report's trend section (HTML with inline SVG); empty without a step that ran."""
    trends = step_trends(runs[-TREND_RUNS:])
    if not trends:
        return Markup("")
    from automations.report_templates import render

    return render("trend_section.html.j2", runs=len(runs[-TREND_RUNS:]),
                  charts=[(trend, step_chart(trend)) for trend in trends])


def step_chart(trend: StepTrend) -> Markup:
    """One step's bars as static SVG, TREND_RUNS slots wide so that every chart reads alike."""
    import pygal
    from pygal.style import Style

    style = Style(background="white", plot_background="white", font_family="system-ui, sans-serif",
                  colors=("#8a8a99",), label_font_size=10, major_label_font_size=10)
    chart = pygal.Bar(style=style, js=[], width=CHART_WIDTH, height=CHART_HEIGHT, show_legend=False,
                      show_x_labels=False, margin=4, y_labels_major_count=3, show_minor_y_labels=False,
                      disable_xml_declaration=True, value_formatter=_seconds)
    padding: list[dict[str, Any] | None] = [None] * (TREND_RUNS - len(trend.points))
    chart.add(trend.shown_name, padding + [_bar(point) for point in trend.points])
    chart.add_xml_filter(partial(_static, title=f"{trend.shown_name} ({trend.group})"))
    return Markup(chart.render())


def _seconds(value: float) -> str:
    """An axis label: a tenth of a second is enough, unless the step never takes one."""
    label = _("{seconds:.1f} s") if value >= 1 or value == 0 else _("{seconds:.2f} s")
    return label.format(seconds=value)


def _bar(point: tuple[str, StepRun] | None) -> dict[str, Any] | None:
    if point is None:
        return None
    started_at, step = point
    outcome = {"ok": _("ok"), "failed": _("failed")}[step.outcome]
    return {"value": round(step.seconds, 2), "color": COLOURS[step.outcome],
            "label": _("{time} UTC: {outcome}, {seconds:.2f} s").format(time=started_at, outcome=outcome,
                                                                       seconds=step.seconds)}


def _static(root: Any, title: str) -> Any:
    """pygal's tree without what only its tooltip script reads (the script itself, the <desc>
    of each bar) and its comments (links to pygal's site); each bar's label becomes its
    <title>, the tooltip a browser shows by itself, and the chart's own is the step's."""
    for child in root:
        if isinstance(child.tag, str) and child.tag.rpartition("}")[2] == "title":
            child.text = title
    for parent in root.iter():
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""  # a comment's tag is a function
            if tag.rpartition("}")[2] == "desc" and child.get("class") == "label":
                child.tag = tag.replace("desc", "title")
            elif not tag or tag.rpartition("}")[2] in ("script", "desc"):
                parent.remove(child)
    return root
