"""``beacon chains gaps`` and ``beacon chains target`` on files: the JSON, the targets file
and the summary, or every problem on stderr, exit status 1, nothing on stdout and no file."""

from __future__ import annotations

import json
import subprocess
import sys

import polars as pl
import pytest

from beacon.analytics.chains_cli import main
from beacon.analytics.targeting import OUTPUT_COLUMNS, rank

from .test_chains import CHAIN, chain, local
from .test_targeting import EXPECTED, candidates


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chain.yaml").write_text(CHAIN, encoding="utf-8")
    local().write_csv("local.csv")
    candidates().write_csv("cands.csv")
    candidates().write_parquet("cands.parquet")
    pl.DataFrame({"uscc": ["P1", "X9"]}).write_csv("pipeline.csv")
    return tmp_path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def failure(capsys, *args) -> list[str]:
    """The stderr lines of a run that must fail: status 1, nothing on stdout."""
    code, out, err = run(capsys, *args)
    assert (code, out) == (1, "")
    return err.splitlines()


GAPS = ("gaps", "--chain", "chain.yaml", "--enterprises", "local.csv")
TARGET = (
    "target",
    "--chain",
    "chain.yaml",
    "--enterprises",
    "local.csv",
    "--exclude",
    "pipeline.csv",
    "--exclude-provinces",
    "广东省, 海南省",
    "--home-province",
    "江苏省",
    "--home-city",
    "苏州市",
)


# ---------------------------------------------------------------- gaps


def test_gaps_json(files, capsys):
    code, out, err = run(capsys, *GAPS, "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result == {
        "chain": "mini",
        "links": [
            {"key": "materials", "status": "missing", "enterprises": 1, "chain_masters": 0},
            {"key": "cells", "status": "strong", "enterprises": 3, "chain_masters": 1},
            {"key": "vehicles", "status": "weak", "enterprises": 2, "chain_masters": 2},
            {"key": "charging", "status": "missing", "enterprises": 0, "chain_masters": 0},
        ],
        "gaps": ["materials", "vehicles", "charging"],
        "coverage": 0.5,
    }
    assert list(result) == ["chain", "links", "gaps", "coverage"]
    assert [list(row) for row in result["links"]] == [
        ["key", "status", "enterprises", "chain_masters"]
    ] * 4


def test_gaps_with_overrides_and_as_a_table(files, capsys):
    pl.DataFrame({"uscc": ["E2"], "link": ["cells"], "include": ["否"]}).write_csv("o.csv")
    code, out, err = run(capsys, *GAPS, "--overrides", "o.csv")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "chain mini (迷你链): 2 of 4 links present, coverage 0.5"
    assert lines[3].split() == ["materials", "upstream", "missing", "1", "0"]
    assert lines[4].split() == ["cells", "midstream", "weak", "2", "1"]
    assert lines[-1] == "gaps: materials, cells, vehicles, charging"


def test_gaps_reads_xlsx_and_parquet(files, capsys):
    local().write_parquet("local.parquet")
    code, out, _ = run(capsys, "gaps", "--chain", "chain.yaml", "--enterprises", "local.parquet")
    assert code == 0 and out.splitlines()[-1] == "gaps: materials, vehicles, charging"


# ---------------------------------------------------------------- target


def test_target_writes_the_ranked_table_and_a_summary(files, capsys):
    code, out, err = run(capsys, *TARGET, "--candidates", "cands.csv", "--out", "t.csv")
    assert (code, err) == (0, "")
    table = pl.read_csv("t.csv", infer_schema=False)
    assert table.columns == list(OUTPUT_COLUMNS)
    assert [(r[0], int(r[1]), r[2], int(r[7]), r[8]) for r in table.rows()] == EXPECTED
    assert out.splitlines() == [
        "materials: missing (1 local), 3 matching candidates, 3 targets, top score 18",
        "vehicles: weak (2 local), 4 matching candidates, 4 targets, top score 6",
        "charging: missing (0 local), 1 matching candidate, 1 target, top score 7",
        "8 targets in t.csv",
    ]


def test_target_parquet_in_and_out_is_the_engine_result(files, capsys):
    code, _, err = run(
        capsys, *TARGET, "--candidates", "cands.parquet", "--out", "t.parquet", "--top", "2"
    )
    assert (code, err) == (0, "")
    expected = rank(
        chain(),
        local(),
        candidates(),
        top=2,
        exclude=["P1", "X9"],
        exclude_provinces=["广东省", "海南省"],
        home_province="江苏省",
        home_city="苏州市",
    )
    assert pl.read_parquet("t.parquet").equals(expected)
    assert pl.read_parquet("t.parquet")["rank"].to_list() == [1, 2, 1, 2, 1]


def test_target_without_gaps_writes_an_empty_table(files, capsys):
    (files / "chain.yaml").write_text(CHAIN.replace("{strong: 3, weak: 2}", "{strong: 1}"))
    pl.concat(
        [local(), local().head(1).with_columns(uscc=pl.lit("E0"), business_scope=pl.lit("充电桩"))]
    ).write_csv("local.csv")
    code, out, _ = run(capsys, *TARGET, "--candidates", "cands.csv", "--out", "t.csv")
    assert code == 0
    assert out.splitlines() == ["no gaps: every link is strong; no targets", "0 targets in t.csv"]
    assert (files / "t.csv").read_text().strip() == ",".join(OUTPUT_COLUMNS)


# ---------------------------------------------------------------- problems


def test_bad_chain_file(files, capsys):
    (files / "chain.yaml").write_text(CHAIN.replace("supplies: [cells]", "supplies: [cels]"))
    for args in (GAPS, (*TARGET, "--candidates", "cands.csv", "--out", "t.csv")):
        assert failure(capsys, *args) == [
            "chain.yaml: line 10, link materials: supplies an unknown link 'cels'"
        ]
    assert not (files / "t.csv").exists()


def test_chain_classes_are_checked_against_gbt_4754(files, capsys):
    (files / "chain.yaml").write_text(CHAIN.replace('["3841"]', '["3848"]'))
    assert failure(capsys, *GAPS) == [
        "chain.yaml: line 14, link cells: unknown industry class '3848' "
        "(not a class of GB/T 4754-2017)"
    ]


def test_problems_of_every_file_and_option_at_once(files, capsys):
    (files / "chain.yaml").write_text(CHAIN.replace("segment: upstream", "segment: up"))
    local().drop("chain_master").write_csv("local.csv")
    pl.DataFrame({"id": ["P1"]}).write_csv("pipeline.csv")
    lines = failure(
        capsys,
        *TARGET,
        "--candidates",
        "cands.json",
        "--out",
        "t.xlsx",
        "--top",
        "0",
        "--home-province",
        "江苏州",
    )
    assert lines == [
        "t.xlsx: the targets file must end in .csv or .parquet",
        "--top must be at least 1, not 0",
        "cands.json: the candidate file must end in .csv or .parquet",
        "--home-province: unknown province '江苏州'; write it as 广东省 or 广东",
        "chain.yaml: line 7, link materials: segment must be upstream, midstream or "
        "downstream, not 'up'",
        "local.csv: missing column: chain_master",
        "pipeline.csv: missing column: uscc",
    ]
    assert not (files / "t.xlsx").exists()


def test_bad_cells_in_the_registry(files, capsys):
    frame = local().with_columns(pl.col("chain_master").cast(pl.String))
    frame[1, "chain_master"] = "也许"
    frame[3, "uscc"] = "E1"
    frame.write_csv("local.csv")
    assert failure(capsys, *GAPS, "--json") == [
        "local.csv: row 3, column chain_master: not yes or no: '也许'",
        "local.csv: row 5, column uscc: 'E1' appears more than once (also row 2)",
    ]


def test_bad_candidate_cells_write_nothing(files, capsys):
    frame = candidates().with_columns(pl.col("registered_capital").cast(pl.String))
    frame[2, "registered_capital"] = "五千万"
    frame[11, "founded"] = None
    frame.with_columns(pl.col("founded").cast(pl.String)).with_columns(
        pl.when(pl.col("uscc") == "C12")
        .then(pl.lit("2020-13-01"))
        .otherwise("founded")
        .alias("founded")
    ).write_csv("cands.csv")
    lines = failure(capsys, *TARGET, "--candidates", "cands.csv", "--out", "t.csv")
    assert lines == [
        "cands.csv: row 4, column registered_capital: not a number of yuan at least 0: '五千万'",
        "cands.csv: row 13, column founded: not a date (YYYY-MM-DD): '2020-13-01'",
    ]
    assert not (files / "t.csv").exists()


def test_missing_candidate_columns_and_files(files, capsys):
    candidates().drop("province", "city").write_parquet("cands.parquet")
    lines = failure(capsys, *TARGET, "--candidates", "cands.parquet", "--out", "t.csv")
    assert lines == [
        "cands.parquet: missing column: province",
        "cands.parquet: missing column: city",
    ]
    lines = failure(capsys, *TARGET, "--candidates", "none.csv", "--out", "t.csv")
    assert lines == ["none.csv: no such file"]
    (files / "empty.csv").write_text("")
    lines = failure(capsys, *TARGET, "--candidates", "empty.csv", "--out", "t.csv")
    assert lines == ["empty.csv: the file is empty"]
    assert not (files / "t.csv").exists()


def test_a_csv_file_not_in_utf8(files, capsys):
    (files / "gbk.csv").write_bytes((files / "cands.csv").read_text().encode("gbk"))
    lines = failure(capsys, *TARGET, "--candidates", "gbk.csv", "--out", "t.csv")
    assert len(lines) == 1
    assert lines[0].startswith("gbk.csv: not UTF-8 text (")
    assert lines[0].endswith("): save the file as CSV UTF-8")
    assert not (files / "t.csv").exists()


def test_the_console_command_runs_without_django(files):
    code = (
        "import sys\n"
        "from beacon.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as e:\n"
        "    print('django' in sys.modules, e.code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "chains", *GAPS, "--json"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "False 0"
    assert json.loads("\n".join(done.stdout.splitlines()[:-1]))["gaps"] == [
        "materials",
        "vehicles",
        "charging",
    ]
