"""Reports of a `check` run: JUnit XML (one test case per step, read by GitHub and GitLab)
and a static HTML page a person opens to see each step and the failure screenshots."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from automations.storage import private_dir, write_private

SUITE_NAME = "okko-cancel check"


def write_junit(path: Path, report: dict[str, Any]) -> None:
    steps = report["steps"]
    suite = ET.Element(
        "testsuite",
        name=SUITE_NAME,
        tests=str(len(steps)),
        failures=str(sum(1 for s in steps if s["outcome"] == "failed")),
        errors="0",
        skipped=str(sum(1 for s in steps if s["outcome"] == "skipped")),
        time=f"{sum(s['seconds'] for s in steps):.3f}",
        timestamp=report["started_at"],
        hostname=report["site"],
    )
    for step in steps:
        case = ET.SubElement(suite, "testcase", classname=f"check.{step['group'] or 'flow'}", name=step["name"],
                             time=f"{step['seconds']:.3f}")
        if step["outcome"] == "failed":
            failure = ET.SubElement(case, "failure", message=f"{step['element'] or 'the page'}: {step['detail']}",
                                    type="FlowFailed")
            failure.text = "\n".join(
                f"{label}: {step[key]}" for label, key in
                (("step", "name"), ("looked for", "element"), ("url", "url"), ("detail", "detail"),
                 ("screenshot", "screenshot"), ("trace", "trace"))
                if step.get(key)
            )
        elif step["outcome"] == "skipped":
            ET.SubElement(case, "skipped")
    root = ET.Element("testsuites", name=SUITE_NAME)
    root.append(suite)
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


HTML_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>okko-cancel check — {{ 'passed' if report.passed else 'FAILED' }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#1d1d24}
h1 .ok{color:#11875d}h1 .bad{color:#c4233f}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}
tr.failed td{background:#fdecef}.outcome-ok{color:#11875d}.outcome-failed{color:#c4233f;font-weight:700}
figure{margin:1rem 0}img{max-width:100%;border:1px solid #ccc}code{background:#f3f3f6;padding:0 .25rem}
</style></head><body>
<h1>okko-cancel check: {% if report.passed %}<span class="ok">all {{ report.counts.steps }} steps passed</span>{% else %}<span class="bad">{{ report.counts.failed }} of {{ report.counts.steps }} steps failed</span>{% endif %}</h1>
<p>Site <code>{{ report.site }}</code>, started {{ report.started_at }} UTC.</p>
<table><thead><tr><th>Flow</th><th>Step</th><th>Outcome</th><th>Seconds</th><th>Details</th></tr></thead><tbody>
{% for step in report.steps %}<tr class="{{ step.outcome }}"><td>{{ step.group }}</td><td>{{ step.name }}</td>
<td class="outcome-{{ step.outcome }}">{{ step.outcome }}</td><td>{{ '%.2f' % step.seconds }}</td>
<td>{% if step.outcome == 'failed' %}looked for <code>{{ step.element or 'the page' }}</code> at <code>{{ step.url }}</code>: {{ step.detail }}{% if step.trace %}<br>trace: <a href="{{ step.trace }}">{{ step.trace }}</a> (open with <code>playwright show-trace</code>){% endif %}{% endif %}</td></tr>
{% endfor %}</tbody></table>
{% for step in report.steps if step.screenshot %}
<figure><img src="{{ step.screenshot }}" alt="Screenshot at the failure of {{ step.name }}"><figcaption>{{ step.group }} — {{ step.name }}: the page when it failed</figcaption></figure>
{% endfor %}
</body></html>
"""


def write_html(folder: Path, report: dict[str, Any], artifacts: Path | None) -> Path:
    """Writes `index.html` into `folder`, copying the failure screenshots beside it."""
    private_dir(folder)
    if artifacts is not None and artifacts.resolve() != folder.resolve():
        for step in report["steps"]:
            if step.get("screenshot") and (artifacts / step["screenshot"]).exists():
                shutil.copy2(artifacts / step["screenshot"], folder / step["screenshot"])
    from jinja2 import Environment, select_autoescape  # only `check --report` needs it: not at start-up

    environment = Environment(autoescape=select_autoescape(default=True))
    html = environment.from_string(HTML_TEMPLATE).render(report=report)
    index = folder / "index.html"
    write_private(index, html.encode())
    return index
