"""The data behind a key project's Gantt chart of plan against actual: the project span,
each milestone's baseline, current plan and actual date with its state, and today."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# state -> colour, as on the status badge
COLOURS = {"done": "#2fb344", "late": "#f59f00", "overdue": "#d63939", "planned": "#206bc4"}


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def state(milestone, today: dt.date) -> tuple[str, int]:
    """The milestone's state and how many days late it is (0 when not late)."""
    planned, actual = milestone.planned_date, milestone.actual_date
    if actual is not None:
        return ("late", (actual - planned).days) if actual > planned else ("done", 0)
    if planned < today:
        return "overdue", (today - planned).days
    return "planned", 0


def gantt(project, milestones, today: dt.date) -> dict:
    """JSON-ready data for the chart. Milestones come in planned order (ties keep the
    order given); each bar runs from the previous milestone's planned date, or the
    project start for the first, to its own planned date. ``range`` is the project span
    widened to hold every date shown and today."""
    ordered = sorted(milestones, key=lambda m: m.planned_date)
    rows = []
    previous = project.start_date
    for m in ordered:
        baseline = m.baseline_date or m.planned_date
        name, late = state(m, today)
        rows.append(
            {
                "name": m.name,
                "baseline": iso(baseline),
                "planned": iso(m.planned_date),
                "actual": iso(m.actual_date),
                "from": iso(min(previous, m.planned_date)),
                "replanned": baseline != m.planned_date,
                "state": name,
                "days_late": late,
            }
        )
        previous = m.planned_date
    days = [project.start_date, project.end_date, today]
    for m in ordered:
        days += [d for d in (m.baseline_date, m.planned_date, m.actual_date) if d]
    return {
        "start": iso(project.start_date),
        "end": iso(project.end_date),
        "range": [iso(min(days)), iso(max(days))],
        "today": iso(today),
        # the chart's height in pixels: legend and axis, then a row per milestone
        "height": 60 + 36 * len(rows),
        "milestones": rows,
        "colours": COLOURS,
        "labels": {
            "baseline": _("Baseline"),
            "planned": pgettext("gantt", "Planned"),
            "actual": _("Actual"),
            "today": _("Today"),
            "days_late": _("Days late"),
            "states": {
                "done": _("done"),
                "late": _("late"),
                "overdue": _("overdue"),
                "planned": _("planned"),
            },
        },
    }
