"""Import and export of the registry's kinds: a file is checked whole before anything is written."""

import csv
import io
import subprocess
import sys
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from beacon.core.changelog import acting_as
from beacon.core.models import ChangeLogEntry
from beacon.core.resources import get_resource
from beacon.core.tabular import SpreadsheetError, read_sheet, write_csv, write_xlsx
from beacon.registry.models import AnnualFigure, Enterprise, Park

from .factories import make_uscc

GOOD = make_uscc(9001)
BAD_CHECKSUM = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def run(kind, rows, user=None, dry_run=False):
    return get_resource(kind).run(read_sheet(csv_bytes(rows)), user=user, dry_run=dry_run)


ENTERPRISE_HEADER = ["uscc", "name", "industry_code", "park", "high_tech", "business_scope"]


@pytest.mark.django_db
class TestEnterpriseImport:
    def test_clean_file_creates_then_updates_then_is_unchanged(self, zone):
        rows = [
            ENTERPRISE_HEADER,
            [GOOD, "肇庆新能源电池有限公司", "3841", "P1", "是", "动力电池研发"],
            [make_uscc(9002), "肇庆生物医药有限公司", "2720", "P2", "否", ""],
        ]
        result = run("enterprises", rows)
        assert (result.ok, result.created, result.updated, result.unchanged) == (True, 2, 0, 0)
        created = Enterprise.objects.get(uscc=GOOD)
        assert (created.name, created.industry.code, created.park.code, created.high_tech) == (
            "肇庆新能源电池有限公司",
            "3841",
            "P1",
            True,
        )
        rows[1][1] = "肇庆新能源电池股份有限公司"
        result = run("enterprises", rows)
        assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
        assert Enterprise.objects.get(uscc=GOOD).name == "肇庆新能源电池股份有限公司"

    def test_chinese_headers_are_accepted(self, zone):
        rows = [
            ["统一社会信用代码", "企业名称", "行业代码", "园区代码", "高新技术企业"],
            [GOOD, "肇庆新能源电池有限公司", "3841", "P1", "是"],
        ]
        result = run("enterprises", rows)
        assert result.ok and result.created == 1

    def test_every_problem_is_reported_and_nothing_is_written(self, zone):
        before = Enterprise.objects.count()
        logs_before = ChangeLogEntry.objects.count()
        rows = [
            ENTERPRISE_HEADER,
            [BAD_CHECKSUM, "坏校验位公司", "3841", "P1", "是", ""],
            [make_uscc(9003), "未知行业公司", "9999", "P1", "是", ""],
            [make_uscc(9004), "未知园区公司", "3841", "P9", "是", ""],
            [make_uscc(9005), "好公司", "3841", "P1", "maybe", ""],
            [make_uscc(9006), "重复公司", "3841", "P1", "否", ""],
            [make_uscc(9006), "重复公司二", "3841", "P1", "否", ""],
            [GOOD, "", "3841", "P1", "否", ""],
        ]
        result = run("enterprises", rows)
        assert [str(e) for e in result.errors] == [
            "row 2, column uscc: The check digit of this Unified Social Credit Code is wrong.",
            "row 3, column industry_code: unknown: 9999",
            "row 4, column park: unknown: P9",
            "row 5, column high_tech: not yes or no: maybe",
            "row 7, column uscc: duplicate of row 6",
            "row 8, column name: required",
        ]
        assert Enterprise.objects.count() == before
        assert ChangeLogEntry.objects.count() == logs_before

    def test_a_row_outside_the_users_scope_is_refused(self, zone, users):
        officer = users["park_officer"]  # scoped to P1
        rows = [
            ENTERPRISE_HEADER,
            [GOOD, "本园企业", "3841", "P1", "是", ""],
            [make_uscc(9007), "他园企业", "3841", "P2", "是", ""],
            [zone["p2_enterprise"].uscc, "改他园企业", "3841", "P1", "是", ""],
        ]
        result = run("enterprises", rows, user=officer)
        # another park's enterprise is out of sight: its code reads as no one's (issue 14)
        assert [str(e) for e in result.errors] == [
            "row 3, column park: outside your scope",
            "row 4, column uscc: This cannot be filed here; the zone administration has been told.",
        ]
        assert not Enterprise.objects.filter(uscc=GOOD).exists()

    def test_rows_filed_meanwhile_are_named_not_a_server_error(self, zone, users, monkeypatch):
        """Two imports of the same new rows at once: the second finds them taken when it
        writes, and says so by row; nothing of it is written."""
        from beacon.core.resources import Resource

        resource = get_resource("enterprises")
        read = Resource.existing
        calls = []

        def as_when_read(self, keys):
            calls.append(keys)
            return {} if len(calls) == 1 else read(self, keys)  # the first read came too early

        monkeypatch.setattr(Resource, "existing", as_when_read)
        taken = zone["p1_enterprise"]
        rows = [
            ENTERPRISE_HEADER,
            [GOOD, "新企业", "3841", "P1", "是", ""],
            [taken.uscc, taken.name, "3841", "P1", "是", ""],
        ]
        count = Enterprise.objects.count()
        result = resource.run(read_sheet(csv_bytes(rows)), user=users["zone_admin"])
        assert [str(e) for e in result.errors] == [
            "row 3, column uscc: filed meanwhile by someone else;"
            " import the file again to update it"
        ]
        assert (result.created, Enterprise.objects.count()) == (0, count)
        # the same for a park officer whose race was with another park: the neutral answer
        calls.clear()
        hidden = zone["p2_enterprise"]
        rows[2] = [hidden.uscc, "本园企业", "3841", "P1", "是", ""]
        result = resource.run(read_sheet(csv_bytes(rows)), user=users["park_officer"])
        assert [str(e) for e in result.errors] == [
            "row 3, column uscc: This cannot be filed here; the zone administration has been told."
        ]

    def test_a_code_out_of_sight_reads_like_an_unknown_one(self, zone, users):
        """A park officer's dry run answers the same for another park's enterprise's code as
        for a code no one has; the real run refuses it neutrally, and the zone
        administration sees the attempt on that enterprise's history."""
        officer, hidden = users["park_officer"], zone["p2_enterprise"]
        unknown = [ENTERPRISE_HEADER, [GOOD, "本园企业", "3841", "P1", "是", ""]]
        taken = [ENTERPRISE_HEADER, [hidden.uscc.lower(), "本园企业", "3841", "P1", "是", ""]]
        dry = [run("enterprises", rows, user=officer, dry_run=True) for rows in (unknown, taken)]
        assert [(r.errors, r.created, r.updated, r.unchanged) for r in dry] == [([], 1, 0, 0)] * 2
        result = run("enterprises", taken, user=officer)
        assert [str(e) for e in result.errors] == [
            "row 2, column uscc: This cannot be filed here; the zone administration has been told."
        ]
        hidden.refresh_from_db()
        assert hidden.park == zone["p2"]
        attempts = ChangeLogEntry.objects.get_for_object(hidden).filter(action=3)
        assert [(e.actor, e.changes["refused"][1]) for e in attempts] == [
            (officer, "park_officer filed one like it (import)")
        ] * 2

    def test_the_change_log_names_the_importer(self, zone, users):
        admin = users["zone_admin"]
        with acting_as(admin):
            result = run(
                "enterprises", [ENTERPRISE_HEADER, [GOOD, "新企业", "3841", "P1", "是", ""]]
            )
        assert result.ok
        entry = ChangeLogEntry.objects.get_for_object(Enterprise.objects.get(uscc=GOOD)).get()
        assert entry.actor == admin
        assert entry.action == ChangeLogEntry.Action.CREATE
        assert entry.changes["name"] == [None, "新企业"]

    def test_dry_run_writes_nothing(self, zone):
        result = run(
            "enterprises",
            [ENTERPRISE_HEADER, [GOOD, "新企业", "3841", "P1", "是", ""]],
            dry_run=True,
        )
        assert (result.ok, result.created) == (True, 1)
        assert not Enterprise.objects.filter(uscc=GOOD).exists()


FIGURE_HEADER = ["uscc", "year", "revenue", "tax", "employees", "land_mu"]


@pytest.mark.django_db
class TestFigureImport:
    def test_figures_are_keyed_on_uscc_and_year(self, zone):
        uscc = zone["p1_enterprise"].uscc
        rows = [
            FIGURE_HEADER,
            [uscc, 2023, "150000000", "7000000", 320, "50"],
            [uscc, 2024, "1,800,000", "90000", 12, ""],
        ]
        result = run("figures", rows)
        assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
        figure = AnnualFigure.objects.get(enterprise=zone["p1_enterprise"], year=2023)
        assert figure.revenue == Decimal("150000000")
        assert (
            AnnualFigure.objects.get(enterprise=zone["p1_enterprise"], year=2024).revenue == 1800000
        )

    def test_bad_numbers_and_years_are_reported(self, zone):
        uscc = zone["p1_enterprise"].uscc
        rows = [
            FIGURE_HEADER,
            [uscc, 2024, "abc", "-5", 10, "1"],
            [uscc, 1800, "1", "1", 10, "1"],
            [uscc, 2021, "1", "1", "3.5", "1"],
            [make_uscc(9999), 2021, "1", "1", 1, "1"],
        ]
        result = run("figures", rows)
        assert [str(e) for e in result.errors] == [
            "row 2, column revenue: not a number: abc",
            "row 2, column tax: must not be negative",
            f"row 3, column year: The year must be between 1949 and {date.today().year + 1}.",
            "row 4, column employees: not a whole number: 3.5",
            f"row 5, column uscc: unknown: {make_uscc(9999)}",
        ]

    def test_enterprise_user_imports_own_figures_only(self, zone, users):
        user = users["enterprise_user"]
        own, other = zone["p1_enterprise"].uscc, zone["p2_enterprise"].uscc
        result = run(
            "figures",
            [FIGURE_HEADER, [own, 2024, 1, 1, 1, 1], [other, 2024, 1, 1, 1, 1]],
            user=user,
        )
        assert [str(e) for e in result.errors] == [f"row 3, column uscc: unknown: {other}"]


@pytest.mark.django_db
class TestFiles:
    def test_empty_file(self):
        with pytest.raises(SpreadsheetError, match="empty"):
            read_sheet(b"")
        with pytest.raises(SpreadsheetError, match="empty"):
            read_sheet(b"\n\n  \n")

    def test_header_only_file_has_no_data_rows(self, zone):
        result = get_resource("parks").run(read_sheet(b"code,name\n"))
        assert [str(e) for e in result.errors] == ["row 2, column code: the file has no data rows"]

    def test_not_a_spreadsheet(self):
        with pytest.raises(SpreadsheetError, match="not a CSV or XLSX"):
            read_sheet(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        with pytest.raises(SpreadsheetError, match="not a CSV or XLSX"):
            read_sheet(b"PK\x03\x04 not really a zip")

    def test_unknown_and_missing_columns(self, zone):
        result = get_resource("enterprises").run(read_sheet(b"name,colour\nA,red\n"))
        assert [str(e) for e in result.errors] == [
            "row 1, column colour: unknown column",
            "row 1, column uscc: required column is missing",
        ]

    def test_gb18030_csv_from_chinese_excel(self, zone):
        data = "code,name\nP7,第七园区\n".encode("gb18030")
        result = get_resource("parks").run(read_sheet(data))
        assert result.ok and Park.objects.get(code="P7").name == "第七园区"

    def test_xlsx_round_trip(self, zone):
        resource = get_resource("enterprises")
        data = write_xlsx(resource.headers, resource.export_rows(Enterprise.objects.all()))
        sheet = read_sheet(data)
        assert sheet.headers == resource.headers
        assert len(sheet.rows) == 4
        result = resource.run(sheet)
        assert (result.ok, result.created, result.updated, result.unchanged) == (True, 0, 0, 4)

    def test_formula_cells_are_escaped_on_export(self):
        text = write_csv(["name"], [['=HYPERLINK("x")'], ["+1"], ["@SUM(A1)"], ["-2"], ["ok"]])
        rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
        assert [r[0] for r in rows[1:]] == ['\'=HYPERLINK("x")', "'+1", "'@SUM(A1)", "'-2", "ok"]
        wb = openpyxl.load_workbook(io.BytesIO(write_xlsx(["name"], [["=1+1"]])))
        assert wb.active["A2"].value == "'=1+1"


def beacon(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "beacon.cli", *args], capture_output=True, text=True, env=env
    )


@pytest.mark.django_db
class TestCommands:
    def test_template_has_headers_and_one_example_row(self, tmp_path):
        for kind in ("parks", "parcels", "enterprises", "figures"):
            out = tmp_path / f"{kind}.xlsx"
            call_command("template", kind, "--out", str(out))
            sheet = read_sheet(out.read_bytes())
            assert sheet.headers == get_resource(kind).headers
            assert len(sheet.rows) == 1

    def test_enterprise_template_example_is_valid_apart_from_references(self, zone, tmp_path):
        out = tmp_path / "enterprises.csv"
        call_command("template", "enterprises", "--out", str(out))
        result = get_resource("enterprises").run(read_sheet(out.read_bytes()), dry_run=True)
        assert [e.column for e in result.errors] == ["parcels"]  # P1-001 is not in the test zone

    def test_import_errors_go_to_stderr_with_exit_status_1(self, zone, tmp_path, capsys):
        path = tmp_path / "bad.csv"
        path.write_bytes(
            csv_bytes([ENTERPRISE_HEADER, [BAD_CHECKSUM, "x", "3841", "P1", "是", ""]])
        )
        with pytest.raises(SystemExit) as exit_info:
            call_command("import", "enterprises", str(path))
        assert exit_info.value.code == 1
        err = capsys.readouterr().err
        assert "row 2, column uscc: The check digit" in err

    def test_import_then_export(self, zone, tmp_path, capsys):
        path = tmp_path / "good.csv"
        path.write_bytes(csv_bytes([ENTERPRISE_HEADER, [GOOD, "新企业", "3841", "P1", "是", ""]]))
        call_command("import", "enterprises", str(path), "--dry-run")
        assert "dry run" in capsys.readouterr().out
        assert not Enterprise.objects.filter(uscc=GOOD).exists()
        call_command("import", "enterprises", str(path))
        assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
        out = tmp_path / "all.csv"
        call_command("export", "enterprises", "--format", "csv", "--out", str(out))
        sheet = read_sheet(out.read_bytes())
        assert len(sheet.rows) == 5
        assert GOOD in [r[0] for r in sheet.rows]

    def test_export_as_a_user_applies_the_scope(self, zone, users, tmp_path):
        out = tmp_path / "p1.xlsx"
        call_command(
            "export", "enterprises", "--format", "xlsx", "--out", str(out), "--user", "park_officer"
        )
        sheet = read_sheet(out.read_bytes())
        assert sorted(r[0] for r in sheet.rows) == sorted(e.uscc for e in zone["p1_enterprises"])


@pytest.mark.django_db
def test_enterprise_user_reimports_own_file_but_cannot_certify_itself(zone, users):
    user, own = users["enterprise_user"], zone["p1_enterprise"]
    resource = get_resource("enterprises")
    sheet = read_sheet(
        write_csv(resource.headers, resource.export_rows(Enterprise.objects.filter(pk=own.pk)))
    )
    assert resource.run(sheet, user=user).unchanged == 1
    scope = sheet.headers.index("business_scope")
    sheet.rows[0][scope] = "动力电池回收利用"
    result = resource.run(sheet, user=user)
    assert (result.ok, result.updated) == (True, 1)
    sheet.rows[0][sheet.headers.index("high_tech")] = "否"
    sheet.rows[0][sheet.headers.index("name")] = "改名公司"
    result = resource.run(sheet, user=user)
    assert [str(e) for e in result.errors] == [
        "row 2, column name: your role may not change this column",
        "row 2, column high_tech: your role may not change this column",
    ]
    own.refresh_from_db()
    assert (own.business_scope, own.high_tech) == ("动力电池回收利用", True)
