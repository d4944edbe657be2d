"""``beacon pipeline metrics`` on files: the figures on stdout, or every problem on stderr,
exit status 1 and nothing on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

import polars as pl
import pytest
from openpyxl import Workbook

from beacon.analytics.pipeline import metrics
from beacon.analytics.pipeline_cli import main

from .test_pipeline import HISTORY, KNOWN, LEADS, history, leads


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    history().write_csv("history.csv")
    leads().write_csv("leads.csv")
    return tmp_path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def figures(capsys, *args, stages="history.csv") -> dict:
    code, out, err = run(capsys, "--stages", stages, "--json", *args)
    assert (code, err) == (0, "")
    return json.loads(out)


def failure(capsys, *args) -> list[str]:
    """The stderr lines of a run that must fail: status 1, nothing on stdout."""
    code, out, err = run(capsys, *args)
    assert (code, out) == (1, "")
    return err.splitlines()


# ---------------------------------------------------------------- figures


def test_json_is_the_engine_result(files, capsys):
    result = figures(capsys, "--leads", "leads.csv", "--by", "team")
    assert result == metrics(history(), leads(), by="team")
    assert result["leads"] == 6
    assert [g["group"] for g in result["groups"]] == ["east", "west", None]
    assert result["cycle_days"][0] == {
        "from": "lead",
        "to": "contacted",
        "count": 3,
        "mean": 7.0,
        "median": 10.0,
        "p90": 10.8,
    }


def test_leads_without_by_only_checked(files, capsys):
    result = figures(capsys, "--leads", "leads.csv")
    assert "groups" not in result
    assert result == metrics(history())


def test_from_and_to_select_by_entry_date(files, capsys):
    result = figures(capsys, "--from", "2024-01-05", "--to", "2024-02-10")
    assert result["leads"] == 3  # B, C, D
    assert list(result["reached"].values()) == [3, 3, 2, 1, 1, 0, 0]
    assert figures(capsys, "--to", "2024-01-04")["leads"] == 1  # A


def test_xlsx_reads_date_cells_and_number_ids(files, capsys):
    wb = Workbook()
    ws = wb.active
    ws.append(["lead_id", "stage", "date", "note"])
    for lead_id, stage, day in HISTORY:
        cell = day if day is None else date.fromisoformat(day)
        if lead_id == "A" and stage == "signed":
            cell = datetime(2024, 3, 1, 16, 45)  # a time of day is dropped
        if lead_id == "C":
            cell = day  # dates typed as text
        ws.append([lead_id, stage, cell, "x"])
    ws.append([1001, "lead", date(2024, 1, 1), None])  # a number id is its digits
    wb.save(files / "history.xlsx")
    wb = Workbook()
    wb.active.append(["lead_id", "team"])
    for row in [*LEADS, (1001, "east")]:
        wb.active.append(list(row))
    wb.save(files / "leads.xlsx")
    code, out, err = run(
        capsys, "--stages", "history.xlsx", "--leads", "leads.xlsx", "--by", "team", "--json"
    )
    assert (code, err) == (0, "")
    expected = metrics(
        history([*HISTORY, ("1001", "lead", "2024-01-01")]),
        leads([*LEADS, ("1001", "east")]),
        by="team",
    )
    assert json.loads(out) == expected
    assert json.loads(out)["groups"][0]["leads"] == 3  # A, C and 1001


def test_without_json_a_table(files, capsys):
    code, out, err = run(capsys, "--stages", "history.csv", "--leads", "leads.csv", "--by", "team")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "leads: 6"
    assert lines[3].split() == ["lead", "5"]
    assert "step" in lines[11] and "p90" in lines[11]
    assert lines[12].split() == ["lead", "→", "contacted", "1.0", "3", "7.0", "10.0", "10.8"]
    assert lines[16].split() == [
        "land_supplied",
        "→",
        "construction_started",
        "0.0",
        "0",
        "-",
        "-",
        "-",
    ]
    assert "team: east" in lines and "team: (none)" in lines


def test_the_beacon_command_runs_it_without_django(files):
    code = (
        "import sys, beacon.cli\n"
        "try:\n"
        "    beacon.cli.main(sys.argv[1:])\n"
        "except SystemExit as e:\n"
        "    print('django' in sys.modules, e.code, file=sys.stderr)\n"
    )
    args = ["pipeline", "metrics", "--stages", "history.csv", "--json"]
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert done.stderr == "False 0\n"
    assert json.loads(done.stdout)["leads"] == 6
    done = subprocess.run(
        [sys.executable, "-m", "beacon.cli", *args[:-1], "--from", "soon"],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "--from: not a date: 'soon'\n"


# ---------------------------------------------------------------- problems


def test_bad_cells_are_listed_by_file_and_row(files, capsys):
    rows = [
        ("A", "lead", "2024-01-01"),
        ("B", "lead", "2024-13-01"),  # row 3
        ("C", "contacted", "2024-01-02"),
        ("D", "signd", "2024-01-03"),  # row 5
        ("", "lead", "2024-01-04"),  # row 6
    ]
    history(rows).write_csv("bad.csv")
    assert failure(capsys, "--stages", "bad.csv", "--json") == [
        "bad.csv: row 3, column date: not a date: '2024-13-01'",
        f"bad.csv: row 5, column stage: unknown stage 'signd'; stages are: {KNOWN}",
        "bad.csv: row 6, column lead_id: empty",
    ]


def test_many_bad_rows_are_cut_short(files, capsys):
    history([("A", "lead", "2024-02-31")] * 25).write_csv("bad.csv")
    lines = failure(capsys, "--stages", "bad.csv")
    assert len(lines) == 21
    assert lines[-2] == "bad.csv: row 21, column date: not a date: '2024-02-31'"
    assert lines[-1] == "bad.csv: and 5 more problems"


def test_missing_columns(files, capsys):
    pl.DataFrame({"lead": ["A"], "stage": ["lead"], "day": ["2024-01-01"]}).write_csv("bad.csv")
    assert failure(capsys, "--stages", "bad.csv") == [
        "bad.csv: missing column: lead_id",
        "bad.csv: missing column: date",
    ]
    assert failure(capsys, "--stages", "history.csv", "--leads", "leads.csv", "--by", "park") == [
        "leads.csv: missing column: park"
    ]


def test_repeated_or_empty_lead_ids_in_leads(files, capsys):
    leads([("A", "x"), ("B", "y"), ("A", "x"), ("", "y")]).write_csv("bad.csv")
    assert failure(capsys, "--stages", "history.csv", "--leads", "bad.csv") == [
        "bad.csv: row 4, column lead_id: 'A' appears more than once (also row 2)",
        "bad.csv: row 5, column lead_id: empty",
    ]


def test_bad_options(files, capsys):
    assert failure(capsys, "--stages", "history.csv", "--by", "team") == ["--by team needs --leads"]
    assert failure(capsys, "--stages", "history.csv", "--from", "2024-13-01") == [
        "--from: not a date: '2024-13-01'"
    ]
    assert failure(capsys, "--stages", "history.csv", "--to", "2024/01/31") == [
        "--to: not a date: '2024/01/31'"
    ]
    assert failure(
        capsys, "--stages", "history.csv", "--from", "2024-03-01", "--to", "2024-02-01"
    ) == ["--from 2024-03-01 is after --to 2024-02-01"]


def test_every_problem_at_once(files, capsys):
    history([("A", "won", "2024-01-01")]).write_csv("bad.csv")
    leads([("A", "x"), ("A", "x")]).write_csv("dup.csv")
    lines = failure(
        capsys, "--stages", "bad.csv", "--leads", "dup.csv", "--from", "x", "--by", "team"
    )
    assert lines == [
        "--from: not a date: 'x'",
        f"bad.csv: row 2, column stage: unknown stage 'won'; stages are: {KNOWN}",
        "dup.csv: row 3, column lead_id: 'A' appears more than once (also row 2)",
    ]


def test_unreadable_files(files, capsys):
    (files / "empty.csv").write_text("")
    (files / "ragged.csv").write_text("lead_id,stage,date\nA,lead,2024-01-01,extra\n")
    (files / "history.txt").write_text("lead_id,stage,date\n")
    (files / "broken.xlsx").write_text("lead_id,stage,date\n")
    assert failure(capsys, "--stages", "empty.csv") == ["empty.csv: the file is empty"]
    [ragged] = failure(capsys, "--stages", "ragged.csv")
    assert ragged.startswith("ragged.csv: not a readable CSV file: ")
    assert failure(capsys, "--stages", "history.txt") == [
        "history.txt: the file must end in .csv, .xlsx, .parquet"
    ]
    [broken] = failure(capsys, "--stages", "broken.xlsx")
    assert broken.startswith("broken.xlsx: not a readable XLSX file: ")
    [missing] = failure(capsys, "--stages", "nowhere.csv")
    assert missing.startswith("nowhere.csv: ") and "No such file" in missing


def test_a_header_only_history_has_no_figures(files, capsys):
    (files / "none.csv").write_text("lead_id,stage,date\n")
    result = figures(capsys, stages="none.csv")
    assert result["leads"] == 0
    assert all(c["rate"] is None for c in result["conversion"])


def test_a_grouping_outside_the_contract_is_a_usage_error(files, capsys):
    with pytest.raises(SystemExit) as e:
        main(["--stages", "history.csv", "--by", "colour"])
    assert e.value.code == 2
    assert "invalid choice: 'colour'" in capsys.readouterr().err
