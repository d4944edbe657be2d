"""The analytics input helpers: how a problem names its file, row and column, and how a long
list of problems is cut short."""

from __future__ import annotations

from beacon.analytics.io import MAX_PROBLEM_LINES, InputError, capped, named


def test_an_input_error_names_its_file_row_and_column_on_every_line():
    assert str(InputError("not a number: 'x'", row=4, column="tax")) == (
        "row 4, column tax: not a number: 'x'"
    )
    assert str(InputError("one\ntwo", file="f.csv")) == "f.csv: one\nf.csv: two"
    assert str(InputError("empty", file="f.csv", column="uscc")) == "f.csv: column uscc: empty"
    assert str(InputError("as it is")) == "as it is"


def test_named_prefixes_each_line_of_any_error():
    assert named("f.csv", OSError("gone")) == ["f.csv: gone"]
    assert named("f.csv", InputError("a\nb")) == ["f.csv: a", "f.csv: b"]


def test_capped_counts_the_problems_or_the_rows_not_listed():
    lines = [f"p{i}" for i in range(MAX_PROBLEM_LINES + 2)]
    assert capped(lines, len(lines)).splitlines()[-1] == "and 2 more problems"
    assert capped(lines[:3], 3) == "p0\np1\np2"
    # rows: the lines are those of the first MAX_PROBLEM_LINES bad rows
    assert capped(lines, MAX_PROBLEM_LINES + 1, rows=True).splitlines()[-1] == (
        "and 1 more row with problems"
    )
