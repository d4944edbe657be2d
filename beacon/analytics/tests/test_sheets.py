"""The one spreadsheet reader: bounded before it allocates, empty areas never materialised,
text encodings declared or told, and formula escaping written and read back."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from beacon.analytics.sheets import (
    Limits,
    SheetError,
    decode,
    read_csv,
    read_grid,
    read_xlsx,
    safe_cell,
    safe_frame,
    unescaped,
)

from .hostile import FAR_CORNER, FAR_DOWN, HEADER, bounded_call, bounded_command, xlsx
from .test_cli import SCHEME, evaluate, write_input


def read(data: bytes, limits: Limits | None = None):
    return read_grid(data, limits or Limits())


def refusal(data: bytes, limits: Limits | None = None) -> SheetError:
    with pytest.raises(SheetError) as caught:
        read(data, limits)
    return caught.value


# ---------------------------------------------------------------- finding 1: bounded reading


def test_a_value_at_xfd1048576_is_refused_in_bounded_memory():
    data = xlsx(HEADER + FAR_CORNER)
    assert len(data) < 5000
    error = bounded_call(lambda: str(refusal(data)))
    assert error == (
        "a value in column XFD, beyond the 1000 columns allowed "
        "(the limit BEACON_IMPORT_MAX_COLUMNS)"
    )


def test_a_value_at_z1000000_reads_as_the_cells_the_sheet_holds():
    # Column Z is past the header's two columns: the row holds nothing the file has a
    # column for, and a blank row is skipped, not kept.
    grid = bounded_call(lambda: read(xlsx(HEADER + FAR_DOWN)))
    assert (grid.header, grid.rows, grid.numbers) == (["code", "name"], [], [])
    far = '<row r="1000000"><c r="B1000000" t="inlineStr"><is><t>x</t></is></c></row>'
    grid = bounded_call(lambda: read(xlsx(HEADER + far)))
    assert (grid.rows, grid.numbers) == ([[None, "x"]], [1000000])


def test_a_lying_dimension_is_not_believed():
    data = xlsx(HEADER + '<row r="2"><c r="A2"><v>7</v></c></row>', dimension="A1:XFD1048576")
    grid = bounded_call(lambda: read(data))
    assert (grid.rows, grid.numbers) == ([[7.0, None]], [2])


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_each_limit_is_named_when_a_file_passes_it(kind):
    def file(rows: list[list[str]]) -> bytes:
        if kind == "csv":
            return "\n".join(",".join(r) for r in rows).encode()
        cells = "".join(
            f'<row r="{n}">'
            + "".join(
                f'<c r="{chr(65 + i)}{n}" t="inlineStr"><is><t>{v}</t></is></c>'
                for i, v in enumerate(r)
            )
            + "</row>"
            for n, r in enumerate(rows, 1)
        )
        return xlsx(cells)

    three = [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]]
    assert str(refusal(file(three), Limits(rows=2))) == (
        "more than 2 rows (the limit BEACON_IMPORT_MAX_ROWS)"
    )
    assert str(refusal(file(three), Limits(cells=7))) == (
        "more than 7 cells with a value (the limit BEACON_IMPORT_MAX_CELLS)"
    )
    wide = [["a", "b", "c"], ["1", "2", "3"]]
    assert refusal(file(wide), Limits(columns=2)).params == {"column": "C", "limit": 2}
    # at the limits, the file is read
    assert read(file(three), Limits(rows=3, cells=8, columns=2)).rows[-1] == ["5", "6"]


def test_what_follows_the_cells_is_not_read_and_shared_strings_are_resolved():
    merged = "<mergeCells>" + '<mergeCell ref="A1:B1"/>' * 100_000 + "</mergeCells>"
    cells = '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row>'
    grid = read(xlsx(HEADER + cells, strings=["乙", "甲"], after=merged))
    assert grid.rows == [["甲", "乙"]]
    assert refusal(xlsx(HEADER + '<row r="2"><c r="A2" t="s"><v>-1</v></c></row>')).code == (
        "unreadable"
    )


def test_the_unpacked_size_is_checked_before_the_sheet_is_opened():
    data = xlsx(HEADER + '<row r="2"><c r="A2"><v>1</v></c></row>')
    assert refusal(data, Limits(unpacked_bytes=100)).code == "unpacked"


def test_rows_keep_their_numbers_and_blank_rows_are_skipped():
    grid = read(b"\n\ncode,name\nP1,a\n,\n\nP2,b\n")
    assert (grid.header, grid.rows, grid.numbers) == (
        ["code", "name"],
        [["P1", "a"], ["P2", "b"]],
        [2, 5],
    )


def test_a_sheet_starting_right_of_column_a_starts_at_its_header():
    cells = (
        '<row r="3"><c r="C3" t="inlineStr"><is><t>code</t></is></c></row>'
        '<row r="4"><c r="B4"><v>9</v></c><c r="C4"><v>1</v></c></row>'
    )
    grid = read(xlsx(cells))
    assert (grid.header, grid.rows, grid.numbers) == (["code"], [[1.0]], [2])


def test_shared_strings_dates_and_booleans_read_as_excel_shows_them(tmp_path):
    from datetime import date, datetime, time

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["day", "moment", "hour", "flag", "text", "number"])
    row = [date(2024, 3, 1), datetime(2024, 3, 1, 10, 30), time(8), True, "园区", 2.5]
    wb.active.append(row)
    wb.save(tmp_path / "t.xlsx")
    with (tmp_path / "t.xlsx").open("rb") as f:
        grid = read_xlsx(f, Limits())
    assert grid.rows == [
        [date(2024, 3, 1), datetime(2024, 3, 1, 10, 30), time(8), True, "园区", 2.5]
    ]


def test_broken_and_hostile_zips_are_refused_cleanly():
    assert refusal(b"PK\x03\x04 not really a zip").code == "not_xlsx"
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    entity = '<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
    assert refusal(xlsx(entity, prolog=laughs)).code == "unreadable"
    ebcdic = '<?xml version="1.0" encoding="cp500"?>'
    assert refusal(xlsx(HEADER, prolog=ebcdic)).code == "unreadable"
    assert read(xlsx(HEADER, prolog='<?xml version="1.0" encoding="UTF-8"?>')).header == [
        "code",
        "name",
    ]
    assert refusal(xlsx("<row><c>")).code == "unreadable"


@pytest.mark.parametrize(
    "command",
    [
        ["evaluate", "--scheme", "s.yaml", "--input", "far.xlsx", "--output", "out.csv"],
        ["pipeline", "metrics", "--stages", "far.xlsx", "--json"],
        ["chains", "gaps", "--chain", "c.yaml", "--enterprises", "far.xlsx", "--json"],
        [
            "supervise",
            *("--projects", "far.xlsx", "--milestones", "m.csv", "--reports", "r.csv"),
            *("--as-of", "2024-06-30", "--json"),
        ],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_every_batch_command_refuses_the_far_corner_in_bounded_memory(tmp_path, command):
    (tmp_path / "far.xlsx").write_bytes(xlsx(HEADER + FAR_CORNER))
    (tmp_path / "s.yaml").write_text(SCHEME)
    done = bounded_command(*command, cwd=tmp_path)
    assert done.returncode == 1
    assert (
        "far.xlsx: a value in column XFD, beyond the 1000 columns allowed "
        "(the limit BEACON_IMPORT_MAX_COLUMNS)"
    ) in done.stderr.splitlines()
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("command", ["evaluate", "pipeline", "chains", "supervise"])
def test_every_batch_command_reads_a_value_far_down_in_bounded_memory(tmp_path, command):
    # the header is no command's columns: each says what is missing, none runs out of memory
    (tmp_path / "down.xlsx").write_bytes(xlsx(HEADER + FAR_DOWN))
    (tmp_path / "s.yaml").write_text(SCHEME)
    args = {
        "evaluate": ["evaluate", "--scheme", "s.yaml", "--input", "down.xlsx", "--output", "o.csv"],
        "pipeline": ["pipeline", "metrics", "--stages", "down.xlsx", "--json"],
        "chains": ["chains", "gaps", "--chain", "c.yaml", "--enterprises", "down.xlsx", "--json"],
        "supervise": [
            *("supervise", "--projects", "down.xlsx", "--milestones", "m.csv"),
            *("--reports", "r.csv", "--as-of", "2024-06-30", "--json"),
        ],
    }[command]
    done = bounded_command(*args, cwd=tmp_path)
    assert done.returncode == 1
    assert any(line.startswith("down.xlsx: ") for line in done.stderr.splitlines()), done.stderr


def test_the_batch_commands_take_the_limits_from_the_environment(tmp_path, monkeypatch):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 6))
    (tmp_path / "in.xlsx").write_bytes(
        xlsx('<row r="1"><c r="A1" t="inlineStr"><is><t>lead_id</t></is></c></row>' + rows)
    )
    monkeypatch.setenv("BEACON_IMPORT_MAX_ROWS", "3")
    done = bounded_command("pipeline", "metrics", "--stages", "in.xlsx", "--json", cwd=tmp_path)
    assert "in.xlsx: more than 3 rows (the limit BEACON_IMPORT_MAX_ROWS)" in done.stderr


# ---------------------------------------------------------------- finding 8: encodings


def test_utf8_with_or_without_bom_and_gb18030_are_read_as_they_are():
    text = "code,name\nP7,第七园区\n"
    assert decode(text.encode()) == text
    assert decode(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode(text.encode("gb18030")) == text


def test_big5_is_refused_unless_declared():
    text = "code,name\nP7,南沙科技園區\n"
    data = text.encode("big5")
    error = pytest.raises(SheetError, decode, data).value
    assert str(error) == (
        "the text is neither UTF-8 nor Chinese text in GB18030: declare its encoding "
        "(beacon import --encoding, for example big5)"
    )
    assert decode(data, "big5") == text


def test_utf16_is_read_when_declared():
    data = "code,name\nP7,第七园区\n".encode("utf-16")
    assert refusal(data).code == "not_spreadsheet"
    assert read_grid(data, Limits(), "utf-16").rows == [["P7", "第七园区"]]


def test_text_not_valid_in_its_encoding_is_refused_with_its_line():
    data = "code,name\nP1,一\nP2,二\n".encode() + b"P3,\xff\xfe\n"
    assert str(pytest.raises(SheetError, decode, data, "utf-8").value) == (
        "line 4: not valid utf-8"
    )
    assert str(pytest.raises(SheetError, decode, b"a\n\x81", "Big5").value) == (
        "line 2: not valid Big5"
    )
    assert pytest.raises(SheetError, decode, b"a", "klingon").value.code == "unknown_encoding"


def test_csv_sniffs_its_separator_and_quotes_as_excel_does():
    assert read_csv("a;b\n1;2\n", Limits()).rows == [["1", "2"]]
    # the first lines have no doubled quote; a later one does
    text = "a,b\n" + "x,y\n" * 2000 + '"say ""hi"", then go",2\n'
    assert read_csv(text, Limits()).rows[-1] == ['say "hi", then go', "2"]


# ---------------------------------------------------------------- finding 7: escaped outputs

HYPERLINK = '=HYPERLINK("http://example.com/x","click")'
CALC = "=cmd|' /C calc'!A0"


@given(st.lists(st.one_of(st.none(), st.text(max_size=6)), max_size=20))
@settings(max_examples=200, deadline=None)
def test_a_table_is_escaped_exactly_as_cell_by_cell(values):
    frame = pl.DataFrame({"text": values, "number": list(range(len(values)))}, strict=False)
    frame = frame.with_columns(pl.col("text").cast(pl.String))
    assert safe_frame(frame).to_dict(as_series=False) == {
        "text": [safe_cell(v) for v in values],
        "number": list(range(len(values))),
    }
    assert safe_frame(frame.lazy()).collect().equals(safe_frame(frame))


def test_evaluate_writes_formulas_from_its_input_as_text(tmp_path):
    (tmp_path / "s.yaml").write_text(SCHEME)
    write_input(tmp_path / "in.csv")
    names = [HYPERLINK, CALC, "+1", "@SUM(A1)", "plain"]
    pl.read_csv(tmp_path / "in.csv").with_columns(name=pl.Series(names)).write_csv(
        tmp_path / "in.csv"
    )
    expected = ["'" + HYPERLINK, "'" + CALC, "'+1", "'@SUM(A1)", "plain"]
    for out in ("out.csv", "out.xlsx"):
        done = evaluate(tmp_path, "--scheme", "s.yaml", "--input", "in.csv", "--output", out)
        assert done.returncode == 0, done.stderr
    written = pl.read_csv(tmp_path / "out.csv", infer_schema=False).sort("uscc")["name"]
    assert written.to_list() == expected
    sheet = load_workbook(tmp_path / "out.xlsx").active
    column = [c.value for c in sheet[1]].index("name")
    cells = sorted(
        (row[0].value, row[column]) for row in sheet.iter_rows(min_row=2) if row[0].value
    )
    assert [(c.value, c.data_type) for _u, c in cells] == [(v, "s") for v in expected]


def test_chain_targets_write_candidates_formulas_as_text(tmp_path, monkeypatch):
    from beacon.analytics.chains_cli import main

    from .test_chains import CHAIN, local
    from .test_targeting import candidates

    monkeypatch.chdir(tmp_path)
    (tmp_path / "chain.yaml").write_text(CHAIN, encoding="utf-8")
    local().write_csv("local.csv")
    table = candidates()
    table.with_columns(name=pl.when(pl.col("uscc") == "C01").then(pl.lit(CALC))).write_csv(
        "cands.csv"
    )
    args = ["target", "--chain", "chain.yaml", "--enterprises", "local.csv"]
    assert main([*args, "--candidates", "cands.csv", "--out", "t.csv"]) == 0
    names = pl.read_csv("t.csv", infer_schema=False).filter(pl.col("uscc") == "C01")["name"]
    assert names.to_list() == ["'" + CALC]


# ---------------------------------------------------------------- finding 11: read back


@given(st.text(max_size=8).filter(lambda t: not t.startswith("'")))
@settings(max_examples=300, deadline=None)
def test_an_escaped_cell_reads_back_as_it_was(text):
    assert unescaped(safe_cell(text)) == text


def test_only_the_escape_of_a_formula_comes_off():
    assert [unescaped(v) for v in ["'=1", "'-2", "'\tx", "'abc", "'", "''=1", 5, None]] == [
        "=1",
        "-2",
        "\tx",
        "'abc",
        "'",
        "''=1",
        5,
        None,
    ]
