"""Hostile spreadsheets for the tests, and ways to read them that a regression cannot take
down: a reader that allocates past its budget fails the test, not the test run.

``bounded_command`` runs the ``beacon`` command in a subprocess whose address space may grow
by ``budget`` bytes past what its imports took; ``bounded_call`` runs a function in a forked
child with the same limit (the child shares the test's database connection and its
transaction: it must only read, and use no Polars, whose worker threads a fork leaves
behind).
"""

from __future__ import annotations

import io
import os
import pickle
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

BUDGET = 256 * 1024 * 1024

HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
)
# The file: one cell in the sheet's last column of its last row.
FAR_CORNER = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
FAR_DOWN = '<row r="1000000"><c r="Z1000000" t="inlineStr"><is><t>x</t></is></c></row>'

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def xlsx(
    rows: str,
    *,
    dimension: str | None = None,
    strings: list[str] | None = None,
    prolog: str = "",
    after: str = "",
) -> bytes:
    """A workbook whose first sheet's ``<sheetData>`` is ``rows`` (XML), as Excel lays it out;
    ``prolog`` goes before the sheet's root element, ``after`` after its cells."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
            '<sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        if strings is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in strings)
            z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_NS}">{items}</sst>')
        size = f'<dimension ref="{dimension}"/>' if dimension else ""
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'{prolog}<worksheet xmlns="{_NS}">{size}<sheetData>{rows}</sheetData>{after}'
            "</worksheet>",
        )
    return out.getvalue()


def _address_space() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def _limit(budget: int) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + budget, hard))


_DRIVER = """
import resource, sys
import polars, beacon.analytics.cli, beacon.analytics.sheets, beacon.cli
from beacon.analytics.tests.hostile import _limit
polars.DataFrame({"a": [1]}).sum()  # Polars' threads, started before the limit
_limit(int(sys.argv[1]))
beacon.cli.main(sys.argv[2:])
"""


def bounded_command(*args: str, cwd, budget: int = BUDGET) -> subprocess.CompletedProcess:
    """``beacon ARGS`` (a batch command that needs no database) within ``budget``."""
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, str(budget), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    assert done.returncode >= 0, f"killed by signal {-done.returncode}: {done.stderr[-2000:]}"
    assert "MemoryError" not in done.stderr, done.stderr[-2000:]
    return done


def bounded_call(work: Callable[[], Any], budget: int = BUDGET) -> Any:
    """``work()``'s result, computed in a forked child within ``budget``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the test's clean-up
        os.close(read)
        try:
            _limit(budget)
            outcome = ("done", work())
        except BaseException as e:  # reported to the parent, which fails the test
            outcome = ("failed", repr(e))
        with os.fdopen(write, "wb") as pipe:
            pickle.dump(outcome, pipe)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        sent = pipe.read()
    _pid, status = os.waitpid(pid, 0)
    if not sent:
        pytest.fail(f"the bounded child died (wait status {status})")
    kind, value = pickle.loads(sent)  # noqa: S301 - our own child's answer
    if kind == "failed":
        pytest.fail(f"the bounded child failed: {value}")
    return value
