"""``beacon supervise`` on files: the result on stdout, or every problem on stderr, exit
status 1 and nothing on stdout."""

from __future__ import annotations

import json
from datetime import date

import pytest

from beacon import cli
from beacon.analytics.supervision import DEFAULT_RULES_TEXT, status
from beacon.analytics.supervision_cli import main

PROJECTS = """\
project_id,name,park,total_investment,start_date,end_date
P1,新能源电池,K1,1000,2024-01-01,2024-11-01
P2,物流园,K1,1000,2024-01-01,2025-01-01
P3,研发中心,K2,500,2024-03-01,2024-12-31
"""
MILESTONES = """\
project_id,milestone,planned_date,actual_date
P1,construction start,2024-06-01,
P2,roof,2024-05-01,2024-04-20
"""
REPORTS = """\
project_id,month,investment_completed
P1,2024-04,100
P1,2024-05,258
P2,2024-05,500
"""
PLAN = """\
project_id,month,planned_investment
P1,2024-05,400
"""


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, text in [
        ("projects.csv", PROJECTS),
        ("milestones.csv", MILESTONES),
        ("reports.csv", REPORTS),
        ("plan.csv", PLAN),
    ]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


BASE = ("--projects", "projects.csv", "--milestones", "milestones.csv", "--reports", "reports.csv")


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def result(capsys, *args) -> dict:
    code, out, err = run(capsys, *BASE, "--as-of", "2024-06-13", "--json", *args)
    assert (code, err) == (0, "")
    return json.loads(out)


def failure(capsys, *args) -> list[str]:
    code, out, err = run(capsys, *args)
    assert (code, out) == (1, "")
    return err.splitlines()


def frames():
    import polars as pl

    def read(text):
        from io import StringIO

        return pl.read_csv(StringIO(text), infer_schema=False)

    return read(PROJECTS), read(MILESTONES), read(REPORTS), read(PLAN)


def test_json_is_the_engine_result(files, capsys):
    got = result(capsys)
    projects, milestones, reports, _ = frames()
    assert got == status(projects, milestones, reports, date(2024, 6, 13))
    assert [(p["project_id"], p["status"]) for p in got["projects"]] == [
        ("P1", "amber"),
        ("P2", "green"),
        ("P3", "red"),
    ]
    assert got["projects"][0]["reasons"] == [
        "investment lag 28.0 points (planned 53.8%, completed 25.8%) > 10: amber",
        "milestone 'construction start' 12 days overdue: amber",
    ]
    assert [(k["park"], k["rank"]) for k in got["parks"]] == [("K1", 1), ("K2", 2)]


def test_plan_and_rules_files(files, capsys):
    (files / "rules.yaml").write_text(
        DEFAULT_RULES_TEXT.replace("value: 10}", "value: 20}"), encoding="utf-8"
    )
    got = result(capsys, "--plan", "plan.csv", "--rules", "rules.yaml")
    # P1's plan through June is 400 of 1000: lag 40.0 - 25.8 = 14.2, green at 20 points
    assert got["projects"][0]["lag_points"] == 14.2
    assert got["projects"][0]["reasons"] == [
        "milestone 'construction start' 12 days overdue: amber"
    ]


def test_the_table_without_json(files, capsys):
    code, out, err = run(capsys, *BASE, "--as-of", "2024-06-13")
    assert (code, err) == (0, "")
    assert out.splitlines()[:2] == ["as of 2024-06-13", ""]
    assert "P3  red    lag 34.1" in out


def test_beacon_dispatches_without_django(files, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["supervise", *BASE, "--as-of", "2024-06-13", "--json"])
    assert e.value.code == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2024-06-13"


def test_every_file_problem_at_once(files, capsys):
    (files / "projects.csv").write_text(
        PROJECTS + "P2,dup,K3,12x,2024-01-01,2023-12-31\n", encoding="utf-8"
    )
    (files / "milestones.csv").write_text(MILESTONES + "P9,m,2024-01-01,\n", encoding="utf-8")
    (files / "reports.csv").write_text(REPORTS + "P1,2024-13,5\n", encoding="utf-8")
    (files / "plan.csv").write_text("project_id,month\n", encoding="utf-8")
    lines = failure(capsys, *BASE, "--plan", "plan.csv", "--as-of", "2024-06-31")
    assert lines == [
        "--as-of: not a date (YYYY-MM-DD): '2024-06-31'",
        "projects.csv: row 5, column total_investment: not a number: '12x'",
        "projects.csv: row 5, column project_id: 'P2' appears more than once (also row 3)",
        "projects.csv: row 5, column end_date: 2023-12-31 is before the start_date 2024-01-01",
        "milestones.csv: row 4, column project_id: unknown project 'P9'",
        "reports.csv: row 5, column month: not a month (YYYY-MM): '2024-13'",
        "plan.csv: missing column: planned_investment",
    ]


def test_rule_file_problems(files, capsys):
    (files / "rules.yaml").write_text("version: 1\nrules:\n  - status: purple\n")
    assert failure(capsys, *BASE, "--as-of", "2024-06-13", "--rules", "rules.yaml") == [
        "rules.yaml: line 3: status must be amber or red"
    ]
    (files / "rules.yaml").write_text(
        "version: 1\nrules:\n  - status: red\n    reason: big\n    when:\n"
        "      - {field: size, op: '>', value: 3}\n"
    )
    lines = failure(capsys, *BASE, "--as-of", "2024-06-13", "--rules", "rules.yaml")
    assert lines[0].startswith("rules.yaml: line 6: unknown field 'size'; fields are: project_id")


def test_missing_file_and_usage(files, capsys):
    assert failure(capsys, *BASE[:4], "--reports", "nope.csv", "--as-of", "2024-06-13") == [
        "nope.csv: no such file"
    ]
    with pytest.raises(SystemExit) as e:
        main(list(BASE))
    assert e.value.code == 2
    assert "--as-of" in capsys.readouterr().err
