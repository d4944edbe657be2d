"""``beacon evaluate`` on files: results out, or row- and line-level messages and no output."""

import subprocess
import sys

import polars as pl
import pytest

SCHEME = """\
name: Test scheme
year: 2024
scope:
  - {field: above_scale, op: "==", value: true}
indicators:
  - key: tax_per_mu
    numerator: tax
    denominator: land_mu
    weight: 60
    method: ratio
    benchmark: 100
    cap: 2
  - key: output_per_mu
    numerator: industrial_output
    denominator: land_mu
    weight: 40
    method: ratio
    benchmark: aggregate
veto:
  - {when: [{field: env_violation, op: "==", value: true}], reason: pollution}
classes:
  method: quota
  quota: {A: 0.25, B: 0.25, C: 0.25, D: 0.25}
  tie_break: [tax]
"""

ROWS = [
    # uscc, above_scale, land_mu, tax, industrial_output, env_violation
    ("U1", True, 10, 2000, 10000, False),  # tax/mu 200 → 60 × min(2, 2) = 120
    ("U2", True, 10, 1000, 10000, False),  # tax/mu 100 → 60
    ("U3", True, 10, 500, 10000, True),  # vetoed
    ("U4", True, 10, 250, 10000, False),  # tax/mu 25 → 15
    ("U5", False, 10, 9000, 10000, False),  # not in scope
]


def write_input(path, rows=ROWS):
    pl.DataFrame(
        rows,
        schema=["uscc", "above_scale", "land_mu", "tax", "industrial_output", "env_violation"],
        orient="row",
    ).with_columns(name=pl.col("uscc"), park=pl.lit("P1")).write_csv(path)


def evaluate(tmp_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "beacon.cli", "evaluate", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


@pytest.fixture
def files(tmp_path):
    (tmp_path / "scheme.yaml").write_text(SCHEME)
    write_input(tmp_path / "in.csv")
    return tmp_path


def test_results_are_ranked_classed_and_explained(files):
    done = evaluate(files, "--scheme", "scheme.yaml", "--input", "in.csv", "--output", "out.csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "4 of 5 rows rated; classes: A 1, B 1, C 1, D 1"
    out = pl.read_csv(files / "out.csv")
    assert out.columns[:8] == [
        "uscc",
        "name",
        "park",
        "rated",
        "not_rated_reason",
        "score",
        "class",
        "rank",
    ]
    assert out.select("uscc", "class", "rank").rows() == [
        ("U1", "A", 1),
        ("U2", "B", 2),
        ("U4", "C", 3),
        ("U3", "D", 4),
        ("U5", None, None),
    ]
    # output per mu is 1000 for everyone, the aggregate benchmark, so 40 points each
    assert out["score"].to_list()[:3] == [160.0, 100.0, 55.0]
    assert out.filter(pl.col("uscc") == "U3")["veto_reason"].item() == "pollution"
    assert out.filter(pl.col("uscc") == "U5")["not_rated_reason"].item() == (
        "not in scope: above_scale == True"
    )


def test_a_bad_cell_is_named_and_nothing_is_written(files):
    (files / "in.csv").write_text(
        "uscc,name,park,above_scale,land_mu,tax,industrial_output,env_violation\n"
        "U1,U1,P1,true,10,2000,10000,false\n"
        "U2,U2,P1,true,ten,abc,10000,false\n"
    )
    done = evaluate(files, "--scheme", "scheme.yaml", "--input", "in.csv", "--output", "out.csv")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "in.csv: row 3, column land_mu: not a number: ten",
        "in.csv: row 3, column tax: not a number: abc",
    ]
    assert not (files / "out.csv").exists()


def test_quota_shares_must_sum_to_one(files):
    (files / "scheme.yaml").write_text(SCHEME.replace("A: 0.25, B", "A: 0.3, B"))
    done = evaluate(files, "--scheme", "scheme.yaml", "--input", "in.csv", "--output", "out.csv")
    assert (done.returncode, done.stderr.strip()) == (
        1,
        "scheme.yaml: line 23: quota shares sum to 1.05, not 1",
    )
    assert not (files / "out.csv").exists()


def test_weights_must_be_numbers_and_uscc_unique(files):
    (files / "scheme.yaml").write_text(SCHEME.replace("weight: 60", "weight: sixty"))
    done = evaluate(files, "--scheme", "scheme.yaml", "--input", "in.csv", "--output", "o.csv")
    assert done.stderr.strip() == (
        "scheme.yaml: line 9, indicator tax_per_mu, weight: must be a number, not 'sixty'"
    )
    (files / "scheme.yaml").write_text(SCHEME)
    write_input(files / "in.csv", [*ROWS, ROWS[0]])
    done = evaluate(files, "--scheme", "scheme.yaml", "--input", "in.csv", "--output", "o.csv")
    assert (done.returncode, done.stderr.strip()) == (
        1,
        "in.csv: row 7, column uscc: U1 appears more than once (also row 2)",
    )
    assert not (files / "o.csv").exists()


def test_parquet_and_xlsx_round_trip(files):
    pl.read_csv(files / "in.csv").write_parquet(files / "in.parquet")
    for out in ("out.parquet", "out.xlsx"):
        done = evaluate(files, "--scheme", "scheme.yaml", "--input", "in.parquet", "--output", out)
        assert done.returncode == 0, done.stderr
    assert pl.read_parquet(files / "out.parquet")["uscc"].to_list() == [
        "U1",
        "U2",
        "U4",
        "U3",
        "U5",
    ]
    assert (files / "out.xlsx").stat().st_size > 0


def write_parks_input(path):
    frame = pl.DataFrame(
        ROWS,
        schema=["uscc", "above_scale", "land_mu", "tax", "industrial_output", "env_violation"],
        orient="row",
    )
    parks = pl.Series("park", ["P1", "P1", "P2", "P2", "P3"])
    frame.with_columns(name=pl.col("uscc"), park=parks).write_csv(path)


def evaluate_with_parks(files, parks="parks.csv", output="out.csv"):
    args = ["--scheme", "scheme.yaml", "--input", "in.csv", "--output", output]
    return evaluate(files, *args, "--parks", parks)


def test_parks_table(files):
    write_parks_input(files / "in.csv")
    done = evaluate_with_parks(files)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "3 parks in parks.csv"
    parks = pl.read_csv(files / "parks.csv")
    assert parks.columns == [
        "park",
        "rank",
        "rated",
        "land_mu",
        "tax",
        "value_added",
        "tax_per_mu",
        "value_added_per_mu",
        "mean_score",
        "A",
        "B",
        "C",
        "D",
    ]
    # P1: U1 and U2, tax (2000 + 1000)/(10 + 10) = 150 per mu, scores 160 and 100.
    # P2: U3 (vetoed, score 30 + 40) and U4 (15 + 40): (500 + 250)/20 = 37.5 per mu.
    # P3: U5 is not in scope. The input has no value_added: missing.
    assert parks.rows() == [
        ("P1", 1, 2, 20.0, 3000.0, None, 150.0, None, 130.0, 1, 1, 0, 0),
        ("P2", 2, 2, 20.0, 750.0, None, 37.5, None, 62.5, 0, 0, 1, 1),
        ("P3", None, 0, None, None, None, None, None, None, 0, 0, 0, 0),
    ]
    # the results are the same as without --parks
    assert pl.read_csv(files / "out.csv").select("uscc", "class").rows() == [
        ("U1", "A"),
        ("U2", "B"),
        ("U4", "C"),
        ("U3", "D"),
        ("U5", None),
    ]


def test_parks_table_as_parquet_and_xlsx(files):
    for name in ("parks.parquet", "parks.xlsx"):
        done = evaluate_with_parks(files, name, output="out.parquet")
        assert done.returncode == 0, done.stderr
    assert pl.read_parquet(files / "parks.parquet").select("park", "rank", "rated").rows() == [
        ("P1", 1, 4)
    ]
    assert (files / "parks.xlsx").stat().st_size > 0


@pytest.mark.parametrize(
    "parks, message",
    [
        ("parks.txt", "parks.txt: the park results must end in .csv, .xlsx, .parquet"),
        ("out.csv", "out.csv: the park results need a file of their own, not --output"),
    ],
)
def test_parks_table_bad_file_name(files, parks, message):
    done = evaluate_with_parks(files, parks)
    assert (done.returncode, done.stderr.strip()) == (1, message)
    assert not (files / "out.csv").exists()


def test_no_file_of_either_kind_on_error(files):
    write_input(files / "in.csv", [*ROWS, ROWS[1]])
    done = evaluate_with_parks(files)
    assert done.stderr.strip() == (
        "in.csv: row 7, column uscc: U2 appears more than once (also row 3)"
    )
    assert not (files / "out.csv").exists()
    assert not (files / "parks.csv").exists()
    # The park table's figures must be numbers too.
    (files / "in.csv").write_text(
        "uscc,name,park,above_scale,land_mu,tax,value_added,industrial_output,env_violation\n"
        "U1,U1,P1,true,10,2000,lots,10000,false\n"
    )
    done = evaluate_with_parks(files)
    assert done.stderr.strip() == "in.csv: row 2, column value_added: not a number: lots"
    assert not (files / "out.csv").exists()
    # A park table that cannot be written takes the results with it.
    write_input(files / "in.csv")
    done = evaluate_with_parks(files, "no/such/folder/parks.csv")
    assert done.returncode == 1
    assert done.stderr.startswith("no/such/folder/parks.csv: ")
    assert not (files / "out.csv").exists()


def test_a_file_that_is_not_xlsx_is_named_not_a_traceback(files):
    (files / "in.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    done = evaluate(files, "--scheme", "scheme.yaml", "--input", "in.xlsx", "--output", "out.csv")
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith("in.xlsx: not a readable XLSX file: ")
    assert not (files / "out.csv").exists()
