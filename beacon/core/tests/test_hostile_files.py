"""Import files that would hurt: a sheet's far corner, limits, encodings (issue 14, findings 1
and 8), through ``beacon import`` and the upload page, on both databases. The dangerous
reads run in a forked child with a memory budget (``bounded_call``): a regression fails the
test instead of taking the test run down."""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from beacon.analytics.tests.hostile import FAR_CORNER, FAR_DOWN, HEADER, bounded_call, xlsx
from beacon.analytics.tests.test_sheets_fuzz import csv_text, encodings, sheets
from beacon.core.resources import get_resource
from beacon.core.tabular import SpreadsheetError, read_sheet
from beacon.registry.models import Park

pytestmark = pytest.mark.django_db

CORNER_REFUSAL = (
    "The file has a value in column XFD, beyond the 1000 columns allowed "
    "(the limit BEACON_IMPORT_MAX_COLUMNS)."
)


def run_import(*args: str) -> tuple[int, str, str]:
    """``beacon import ARGS``: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as e:
        status = int(e.code or 0)
    return status, out.getvalue(), err.getvalue()


def upload(client, path: str, data: bytes, name: str, **fields) -> tuple[int, str]:
    """The import page's answer to ``data``: status and the file's error, if any."""
    response = client.post(path, {"file": named(data, name), "dry_run": "1", **fields})
    found = re.search(r'id="file-error">([^<]*)<', response.content.decode())
    return response.status_code, found.group(1) if found else ""


def test_the_far_corner_is_refused_by_the_import_command(zone, tmp_path):
    path = Path(tmp_path / "far.xlsx")
    path.write_bytes(xlsx(HEADER + FAR_CORNER))
    status, _out, err = bounded_call(lambda: run_import("parks", str(path), "--dry-run"))
    assert (status, err.strip()) == (1, f"{path}: {CORNER_REFUSAL}")


def test_the_far_corner_is_refused_by_the_upload_of_any_role_that_imports(zone, client_for):
    # an enterprise user's figures import is enough to reach the reader
    client = client_for("enterprise_user")
    data = xlsx(HEADER + FAR_CORNER)
    answer = bounded_call(lambda: upload(client, "/registry/figures/import/", data, "f.xlsx"))
    assert answer == (400, CORNER_REFUSAL)


def test_a_value_far_down_is_read_as_the_cells_there_are_by_the_upload(zone, client_for):
    client = client_for("enterprise_user")
    data = xlsx(HEADER + FAR_DOWN)

    def post():
        response = client.post("/registry/figures/import/", {"file": named(data, "f.xlsx")})
        return response.status_code, "unknown column" in response.content.decode()

    # read to its header, whose columns are no figures' columns
    assert bounded_call(post) == (400, True)


def test_a_value_far_down_is_read_as_the_cells_there_are(zone, tmp_path):
    path = Path(tmp_path / "down.xlsx")
    path.write_bytes(xlsx(HEADER + FAR_DOWN))
    status, _out, err = bounded_call(lambda: run_import("parks", str(path), "--dry-run"))
    assert (status, err.splitlines()[0]) == (1, "row 2, column code: the file has no data rows")
    far = '<row r="1000000"><c r="B1000000" t="inlineStr"><is><t>x</t></is></c></row>'
    path.write_bytes(xlsx(HEADER + far))
    status, _out, err = bounded_call(lambda: run_import("parks", str(path), "--dry-run"))
    assert (status, err.splitlines()[0]) == (1, "row 1000000, column code: required")


def test_the_limits_are_settings(zone, tmp_path, settings):
    settings.BEACON_IMPORT_MAX_ROWS = 1
    path = tmp_path / "parks.csv"
    path.write_text("code,name\nP8,a\nP9,b\n")
    assert run_import("parks", str(path), "--dry-run")[::2] == (
        1,
        f"{path}: The file has more than 1 rows (the limit BEACON_IMPORT_MAX_ROWS).\n",
    )
    settings.BEACON_IMPORT_MAX_ROWS = 2
    assert run_import("parks", str(path), "--dry-run")[:2] == (
        0,
        "dry run, nothing written: 2 created, 0 updated, 0 unchanged\n",
    )


# ---------------------------------------------------------------- finding 8: encodings

BIG5_PARKS = "code,name\nP8,南沙科技園區\n"


def test_a_big5_file_is_refused_unless_its_encoding_is_declared(zone, tmp_path):
    path = tmp_path / "parks.csv"
    path.write_bytes(BIG5_PARKS.encode("big5"))
    status, _out, err = run_import("parks", str(path))
    assert (status, err) == (
        1,
        f"{path}: The text is neither UTF-8 nor Chinese text in GB18030: choose its encoding "
        "(for example Big5).\n",
    )
    assert not Park.objects.filter(code="P8").exists()
    assert run_import("parks", str(path), "--encoding", "big5")[0] == 0
    assert Park.objects.get(code="P8").name == "南沙科技園區"


def test_a_gb18030_file_still_imports_without_a_declaration(zone, tmp_path):
    path = tmp_path / "parks.csv"
    path.write_bytes("code,name\nP8,第八园区\n".encode("gb18030"))
    assert run_import("parks", str(path))[0] == 0
    assert Park.objects.get(code="P8").name == "第八园区"


def test_text_not_valid_in_the_declared_encoding_is_refused_with_its_line(zone, tmp_path):
    path = tmp_path / "parks.csv"
    path.write_bytes("code,name\nP8,第八园区\n".encode() + b"P9,\xff\n")
    assert run_import("parks", str(path), "--encoding", "utf-8")[::2] == (
        1,
        f"{path}: Line 3: not valid utf-8. Save the file as CSV UTF-8.\n",
    )


def test_the_upload_page_offers_the_encoding(zone, client_for):
    client = client_for("zone_admin")
    data = BIG5_PARKS.encode("big5")
    status, error = upload(client, "/registry/parks/import/", data, "p.csv")
    assert (status, error) == (
        400,
        "The text is neither UTF-8 nor Chinese text in GB18030: choose its encoding (for "
        "example Big5).",
    )
    response = client.post(
        "/registry/parks/import/", {"file": named(data, "p.csv"), "encoding": "big5"}
    )
    assert response.status_code == 200
    assert Park.objects.get(code="P8").name == "南沙科技園區"
    assert upload(client, "/registry/parks/import/", data, "p.csv", encoding="ebcdic") == (
        400,
        "Choose one of the encodings offered.",
    )


def named(data: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


# ---------------------------------------------------------------- fuzzed through the import


@st.composite
def park_files(draw) -> bytes:
    """A parks file whose header the import knows, and generated cells beneath it."""
    if draw(st.booleans()):
        return draw(sheets())
    text = "code,name,area_mu,zone\n" + draw(csv_text)
    if draw(st.booleans()):
        return text.encode(draw(encodings), errors="replace")
    cells = "".join(
        f'<row r="{n}">'
        + "".join(
            f'<c r="{"ABCD"[i]}{n}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for i, v in enumerate(line.split(",")[:4])
        )
        + "</row>"
        for n, line in enumerate(text.splitlines(), 1)
    )
    return xlsx(cells)


def dry_run(data: bytes) -> str:
    """The import's answer to ``data``: its summary, its problems' count, or its refusal."""
    try:
        sheet = read_sheet(data)
    except SpreadsheetError as e:
        return str(e)
    result = get_resource("parks").run(sheet, dry_run=True)
    return result.summary() if result.ok else f"{len(result.errors)} problems"


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=park_files())
def test_generated_files_import_as_a_dry_run_or_are_refused(zone, data):
    event(re.sub(r"\d+", "N", bounded_call(lambda: dry_run(data))))
    assert Park.objects.count() == 2
