"""The supervision list (督办清单) and the park league table, as the page shows them and as
XLSX and Word files for a leaders' meeting. One row builder serves the page and both files,
so what is printed is what was on screen."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from beacon.core.permissions import restrict
from beacon.core.tabular import write_xlsx

from .choices import ProjectStatus
from .models import KeyProject, ProgressReport, ProjectIssue

STATUS_COLOURS = {"red": "D63939", "amber": "F59F00", "green": "2FB344"}


def status_label(status: str) -> str:
    return str(ProjectStatus(status).label) if status in ProjectStatus.values else status


def with_details(user, as_of: dt.date, projects: list[KeyProject]) -> list[KeyProject]:
    """Give each project what the supervision list shows beside its status, as of
    ``as_of``: ``completed`` (its investment completed to date), ``completion`` (of its
    total) and ``open_issues``; read for these projects only, as the user may see them."""
    keys = [p.pk for p in projects]
    month = f"{as_of:%Y-%m}"
    # each project's latest report to date (one a month), not every month's
    latest = (
        restrict(ProgressReport.objects.all(), user)
        .filter(project=OuterRef("pk"), month__lte=month)
        .order_by("-month")
        .values("investment_completed")[:1]
    )
    completed = {
        key: amount
        for key, amount in KeyProject.objects.filter(pk__in=keys)
        .annotate(completed=Subquery(latest))
        .values_list("pk", "completed")
        if amount is not None
    }
    issues: dict[int, list] = {}
    open_issues = (
        restrict(ProjectIssue.objects.all(), user)
        .filter(project__in=keys)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=as_of))
        .order_by("due_date", "pk")
        .values_list("project", "description", "owner_unit", "due_date")
    )
    for key, description, owner, due in open_issues:
        issues.setdefault(key, []).append(
            {"description": description, "owner": owner, "due": due, "overdue": due < as_of}
        )
    for project in projects:
        done = completed.get(project.pk)
        project.completed = done
        project.completion = (
            None if done is None else float(Decimal(done) / project.total_investment)
        )
        project.open_issues = issues.get(project.pk, [])
    return projects


def _yuan(value) -> float | None:
    return None if value is None else float(value)


def list_table(projects: list[KeyProject]) -> tuple[list[str], list[list]]:
    """The supervision list's headers and cells, for XLSX and Word alike, of projects with
    their status and details (``with_details``)."""
    headers = [
        _("No."),
        _("Code"),
        _("Project"),
        _("Park"),
        _("Responsible unit"),
        _("Responsible officer"),
        _("Total investment (yuan)"),
        _("Investment completed (yuan)"),
        _("Completed (%)"),
        _("Lag (points)"),
        _("Status"),
        _("Reasons"),
        _("Open issues"),
    ]
    cells = []
    for i, p in enumerate(projects, start=1):
        status = p.current_status
        cells.append(
            [
                i,
                p.code,
                p.name,
                str(p.park),
                p.responsible_unit,
                p.officer.get_full_name() or p.officer.username if p.officer else "",
                _yuan(p.total_investment),
                _yuan(p.completed),
                None if p.completion is None else round(p.completion * 100, 1),
                status.lag_points,
                status_label(status.status),
                "; ".join(status.reasons),
                "; ".join(
                    f"{i['description']} ({i['owner']}, {i['due']:%Y-%m-%d}"
                    + (f", {_('overdue')})" if i["overdue"] else ")")
                    for i in p.open_issues
                ),
            ]
        )
    return headers, cells


def league_table(parks: list[dict], names: dict[str, str]) -> tuple[list[str], list[list]]:
    headers = [
        _("Rank"),
        _("Park"),
        _("Projects"),
        _("Milestones due"),
        _("Milestones on time"),
        _("Investment completed / planned (%)"),
        _("Red"),
        _("Amber"),
        _("Green"),
        _("Composite"),
    ]
    cells = [
        [
            row["rank"],
            names.get(row["park"], row["park"]),
            row["projects"],
            row["milestones_due"],
            row["milestones_on_time"],
            None
            if row["investment_completion"] is None
            else round(row["investment_completion"] * 100, 1),
            row["red"],
            row["amber"],
            row["green"],
            row["composite"],
        ]
        for row in parks
    ]
    return headers, cells


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{int(value):,}" if value.is_integer() else f"{value:,.1f}"
    return str(value)


def docx(title: str, subtitle: str, headers, cells, status_column: int | None = None) -> bytes:
    """A landscape A4 Word document: the title, a line under it, and the table; the status
    column's cells are shaded in the status colour."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    normal = document.styles["Normal"]
    normal.font.size = Pt(9)
    # Chinese text needs an East Asian font named, or Word falls back to a Latin one
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    document.add_heading(title, level=1)
    document.add_paragraph(subtitle)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(header)).bold = True
    colours = {status_label(k): v for k, v in STATUS_COLOURS.items()}
    for row in cells:
        out = table.add_row().cells
        for i, value in enumerate(row):
            out[i].text = _shown(value)
            if i == status_column and value in colours:
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:fill"), colours[value])
                out[i]._tc.get_or_add_tcPr().append(shading)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def export(fmt: str, filename: str, title: str, subtitle: str, headers, cells, status_column=None):
    """(bytes, file name) of a table as XLSX or Word; None for another format."""
    if fmt == "xlsx":
        return write_xlsx(headers, cells, title), f"{filename}.xlsx"
    if fmt == "docx":
        return docx(title, subtitle, headers, cells, status_column), f"{filename}.docx"
    return None
