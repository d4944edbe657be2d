"""Export then import is identity (issue 14, finding 11): every import kind's export of a
demo-like zone, imported back unchanged, changes nothing, on both databases: text an export
escaped from running as a formula comes back as it was saved, and a decimal exported as a
whole number is the stored value."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from beacon.core.resources import resource_kinds
from beacon.core.tabular import read_sheet
from beacon.demo.evaluation import build_demo_evaluation
from beacon.demo.promotion import build_demo_promotion
from beacon.demo.writer import build_demo_zone
from beacon.promotion.models import Lead, Team
from beacon.registry.models import Enterprise, Park

from .test_hostile_files import run_import

pytestmark = pytest.mark.django_db

FORMULA_LOOKING = {
    (Park, "positioning"): "+新能源汽车",
    (Enterprise, "name_en"): "@Zhaoqing Motors",
    (Lead, "description"): '=HYPERLINK("http://example.com","项目")',
    (Team, "description"): "-招商一组",
}


@pytest.fixture
def demo_like(db):
    build_demo_zone(enterprises=60)
    build_demo_promotion("small")
    build_demo_evaluation()
    for (model, field), text in FORMULA_LOOKING.items():
        row = model.objects.order_by("pk").first()
        setattr(row, field, text)
        row.save()


def test_every_import_kind_reimports_its_own_export_unchanged(demo_like, tmp_path, subtests):
    for kind in resource_kinds(importable_only=True):
        for fmt in ("xlsx", "csv"):
            with subtests.test(kind=kind, format=fmt):
                path = tmp_path / f"{kind}.{fmt}"
                call_command("export", kind, "--format", fmt, "--out", str(path))
                status, out, err = run_import(kind, str(path), "--dry-run")
                assert (status, err) == (0, "")
                found = re.fullmatch(
                    r"dry run, nothing written: 0 created, 0 updated, (\d+) unchanged\n", out
                )
                assert found and int(found.group(1)) > 0, out


def test_the_export_escapes_what_the_import_restores(demo_like, tmp_path):
    path = tmp_path / "leads.csv"
    call_command("export", "leads", "--format", "csv", "--out", str(path))
    text = FORMULA_LOOKING[Lead, "description"]
    assert "'" + text.replace('"', '""') in path.read_text(encoding="utf-8-sig")
    sheet = read_sheet(path.read_bytes())
    column = sheet.headers.index("description")
    assert text in [row[column] for row in sheet.rows]
