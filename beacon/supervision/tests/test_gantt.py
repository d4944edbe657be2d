"""The Gantt chart of plan against actual: each milestone's state, the baseline kept after
re-planning, planned order, the span widened to every date and today, and the data on the
project page."""

import datetime as dt
import json
from decimal import Decimal

from beacon.supervision.gantt import gantt
from beacon.supervision.models import KeyProject, Milestone

TODAY = dt.date(2024, 7, 15)
D = dt.date


def project() -> KeyProject:
    return KeyProject(
        code="K1",
        name="动力电池基地",
        total_investment=Decimal(100_000_000),
        start_date=D(2024, 1, 1),
        end_date=D(2024, 12, 31),
    )


def milestone(name, planned, actual=None, baseline=None) -> Milestone:
    # unsaved: baseline_date stays None unless given, as before the first save
    return Milestone(name=name, planned_date=planned, actual_date=actual, baseline_date=baseline)


def rows(milestones, today=TODAY) -> list[tuple]:
    return [
        (r["name"], r["baseline"], r["planned"], r["actual"], r["state"], r["days_late"])
        for r in gantt(project(), milestones, today)["milestones"]
    ]


def test_each_state():
    assert rows(
        [
            milestone("on time", D(2024, 3, 1), actual=D(2024, 3, 1)),
            milestone("early", D(2024, 4, 1), actual=D(2024, 3, 20)),
            milestone("late", D(2024, 5, 1), actual=D(2024, 5, 11)),
            milestone("overdue", D(2024, 7, 1)),
            milestone("due today", TODAY),
            milestone("ahead", D(2024, 10, 1)),
        ]
    ) == [
        ("on time", "2024-03-01", "2024-03-01", "2024-03-01", "done", 0),
        ("early", "2024-04-01", "2024-04-01", "2024-03-20", "done", 0),
        ("late", "2024-05-01", "2024-05-01", "2024-05-11", "late", 10),
        ("overdue", "2024-07-01", "2024-07-01", None, "overdue", 14),
        ("due today", "2024-07-15", "2024-07-15", None, "planned", 0),
        ("ahead", "2024-10-01", "2024-10-01", None, "planned", 0),
    ]


def test_a_replanned_milestone_keeps_its_baseline():
    replanned = milestone("封顶", D(2024, 8, 1), baseline=D(2024, 5, 1))
    row = gantt(project(), [replanned], TODAY)["milestones"][0]
    assert row == {
        "name": "封顶",
        "baseline": "2024-05-01",
        "planned": "2024-08-01",
        "actual": None,
        "from": "2024-01-01",
        "replanned": True,
        "state": "planned",
        "days_late": 0,
    }


def test_planned_order_and_bars_from_the_previous_plan():
    data = gantt(
        project(),
        [
            milestone("竣工", D(2024, 11, 1)),
            milestone("开工", D(2024, 2, 1), actual=D(2024, 2, 5)),
            milestone("封顶", D(2024, 8, 1), baseline=D(2024, 5, 1)),
        ],
        TODAY,
    )
    assert [(r["name"], r["from"], r["planned"]) for r in data["milestones"]] == [
        ("开工", "2024-01-01", "2024-02-01"),
        ("封顶", "2024-02-01", "2024-08-01"),
        ("竣工", "2024-08-01", "2024-11-01"),
    ]
    assert [r["replanned"] for r in data["milestones"]] == [False, True, False]
    assert data["height"] == 60 + 3 * 36


def test_the_span_is_widened_to_every_date_and_today():
    data = gantt(
        project(),
        [
            milestone("早", D(2023, 12, 1), baseline=D(2023, 11, 20)),
            milestone("晚", D(2024, 12, 1), actual=D(2025, 1, 10)),
        ],
        D(2025, 2, 1),
    )
    assert (data["start"], data["end"], data["today"], data["range"]) == (
        "2024-01-01",
        "2024-12-31",
        "2025-02-01",
        ["2023-11-20", "2025-02-01"],
    )
    # a milestone planned before the project start: its bar starts at its own date
    assert data["milestones"][0]["from"] == "2023-12-01"
    empty = gantt(project(), [], TODAY)
    assert (empty["range"], empty["milestones"], empty["height"]) == (
        ["2024-01-01", "2024-12-31"],
        [],
        60,
    )


def test_labels_come_from_python():
    labels = gantt(project(), [], TODAY)["labels"]
    assert (labels["baseline"], labels["planned"], labels["actual"], labels["today"]) == (
        "Baseline",
        "Planned",
        "Actual",
        "Today",
    )
    assert labels["states"] == {
        "done": "done",
        "late": "late",
        "overdue": "overdue",
        "planned": "planned",
    }


def test_the_project_page_carries_the_chart_data(zone, client_for):
    saved = project()
    saved.park = zone["p1"]
    saved.save()
    replanned = Milestone.objects.create(project=saved, name="封顶", planned_date=D(2024, 5, 1))
    replanned.planned_date = D(2024, 8, 1)
    replanned.save()
    Milestone.objects.create(
        project=saved, name="开工", planned_date=D(2024, 2, 1), actual_date=D(2024, 2, 11)
    )
    page = client_for("zone_admin").get(saved.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="project-gantt"' in html
    assert "supervision-gantt.js" in html
    start = html.index('<script id="gantt-data" type="application/json">')
    data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert [(r["name"], r["baseline"], r["planned"], r["actual"]) for r in data["milestones"]] == [
        ("开工", "2024-02-01", "2024-02-01", "2024-02-11"),
        ("封顶", "2024-05-01", "2024-08-01", None),
    ]
    assert data["milestones"][0]["state"] == "late"
