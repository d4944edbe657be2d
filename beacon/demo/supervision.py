"""The demo zone's key projects: the signed leads carried on from promotion and a few
government projects entered directly, with their milestones (some re-planned, most met a
little early or late), monthly progress reports and the issues their owners are chasing.

Most projects report on plan (green); about one in seven lags badly or has a milestone
long overdue (red); some have not reported last month (amber).
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import math
import random
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone

from beacon.core.changelog import acting_as, bulk_create_logged, bulk_update_logged
from beacon.core.models import User
from beacon.promotion.models import Lead
from beacon.registry.models import Park
from beacon.supervision.choices import IssueKind, ProjectCategory
from beacon.supervision.current import judged_once
from beacon.supervision.models import KeyProject, Milestone, ProgressReport, ProjectIssue
from beacon.supervision.services import lead_defaults, plan_default_milestones

from .parks import PARKS
from .plan import SEED

# Leads carried on as key projects, and projects entered directly.
SIZES = {"small": (60, 6), "large": (600, 30)}
RED_SHARE, AMBER_SHARE, REPLANNED_SHARE = 0.15, 0.15, 0.2

# (name, category, responsible unit, investment range in yuan, park or spread over them)
DIRECT = (
    ("园区污水处理厂提标改造", ProjectCategory.INFRASTRUCTURE, "园区建设局", (1.2e8, 3e8), None),
    ("公共实训基地", ProjectCategory.PUBLIC, "园区人力资源和社会保障局", (6e7, 1.5e8), None),
    (
        "新能源汽车检验检测公共服务平台",
        ProjectCategory.INNOVATION,
        "园区科技创新局",
        (8e7, 2e8),
        "P1",
    ),
    ("园区综合管廊工程", ProjectCategory.INFRASTRUCTURE, "园区建设局", (2e8, 6e8), None),
    ("人才公寓（二期）", ProjectCategory.PUBLIC, "园区城市建设投资有限公司", (1.5e8, 4e8), None),
    ("生物医药中试基地", ProjectCategory.INNOVATION, "园区科技创新局", (1e8, 2.5e8), "P4"),
    ("110千伏输变电配套工程", ProjectCategory.INFRASTRUCTURE, "园区建设局", (8e7, 2e8), None),
    ("九年一贯制学校", ProjectCategory.PUBLIC, "园区社会事务局", (1.8e8, 3.5e8), None),
    ("集中供热管网工程", ProjectCategory.INFRASTRUCTURE, "园区建设局", (6e7, 1.8e8), None),
    ("产业创新研究院", ProjectCategory.INNOVATION, "园区科技创新局", (1.5e8, 5e8), None),
    ("社区卫生服务中心", ProjectCategory.PUBLIC, "园区社会事务局", (3e7, 8e7), None),
    (
        "危险废物集中处置中心",
        ProjectCategory.INFRASTRUCTURE,
        "园区生态环境分局",
        (1e8, 2.5e8),
        None,
    ),
    ("智慧园区管理平台", ProjectCategory.INNOVATION, "园区经济发展局", (3e7, 9e7), None),
    ("园区主干道路网改造工程", ProjectCategory.INFRASTRUCTURE, "园区建设局", (1.5e8, 4e8), None),
    ("企业服务中心", ProjectCategory.PUBLIC, "园区经济发展局", (5e7, 1.2e8), None),
)
PHASES = ("一", "二", "三", "四", "五", "六", "七", "八")

# (kind, description, owning unit, resolution)
ISSUES = (
    (IssueKind.LAND, "土地征收补偿未到位", "自然资源局", "专题协调会后补偿款已全额拨付，完成交地"),
    (IssueKind.LAND, "用地报批手续未完成", "自然资源局", "用地批复已下达，土地证已办理"),
    (IssueKind.LAND, "地块内坟墓迁移工作未完成", "属地镇人民政府", "已完成迁坟补偿与迁移"),
    (IssueKind.PERMITS, "施工许可证办理滞后", "住房和城乡建设局", "容缺受理，施工许可证已核发"),
    (IssueKind.PERMITS, "规划设计方案调整待审批", "自然资源局", "调整方案已通过规委会审议"),
    (IssueKind.PERMITS, "消防设计审查意见未闭合", "住房和城乡建设局", "设计单位完成修改，审查通过"),
    (IssueKind.PERMITS, "节能审查未完成", "发展和改革局", "节能报告已批复"),
    (
        IssueKind.FUNDING,
        "银行项目贷款审批未完成",
        "园区金融服务中心",
        "银团贷款已签约，首笔资金到位",
    ),
    (IssueKind.FUNDING, "财政配套资金未拨付", "财政局", "配套资金已按进度拨付"),
    (IssueKind.FUNDING, "专项债券资金未到位", "财政局", "专项债资金已下达项目账户"),
    (IssueKind.UTILITIES, "施工用电增容审批未完成", "供电公司", "临时用电增容已完成送电"),
    (IssueKind.UTILITIES, "供水管网未接驳至项目红线", "水务集团", "供水管道已接驳并通水"),
    (IssueKind.UTILITIES, "天然气管道未接入厂区", "燃气公司", "燃气管道已接入并完成验收"),
    (IssueKind.UTILITIES, "市政道路未通达施工现场", "园区建设局", "施工便道已打通"),
    (IssueKind.ENVIRONMENT, "环境影响评价批复未取得", "生态环境局", "环评报告书已批复"),
    (IssueKind.ENVIRONMENT, "施工扬尘整改未完成", "生态环境局", "已落实围挡喷淋，整改复查通过"),
    (IssueKind.ENVIRONMENT, "排污许可证办理中", "生态环境局", "排污许可证已核发"),
    (IssueKind.OTHER, "施工班组劳务纠纷待协调", "人力资源和社会保障局", "欠薪已清偿，纠纷化解"),
    (IssueKind.OTHER, "进口设备清关延误", "海关", "已开通绿色通道，设备完成清关"),
    (IssueKind.OTHER, "周边村民阻工待协调", "属地镇人民政府", "经镇村协调，现场恢复施工"),
)
STALLED = ("现场施工基本停滞，", "施工进度明显滞后，", "资金未到位，部分工序暂停，")


def build_demo_supervision(size: str = "small", seed: int = SEED, today: dt.date | None = None):
    """Key projects from the signed leads and a few entered directly, with their
    milestones, monthly reports through last month, and issues."""
    today = today or timezone.localdate()
    leads_wanted, direct_wanted = SIZES[size]
    # Demo data, drawn again from its seed: not a secret (bandit B311).
    rnd = random.Random(seed + 6)  # nosec B311
    rng = np.random.default_rng([seed, 6])
    admin = User.objects.filter(username="admin").first()
    parks = list(Park.objects.filter(code__in=[spec.code for spec in PARKS]).order_by("code"))
    if not parks:
        return
    officers = _officers()
    leads = list(
        Lead.objects.projects()
        .filter(proposed_park__isnull=False, planned_investment__gte=1, key_project__isnull=True)
        .order_by("pk")
    )
    if len(leads) > leads_wanted:
        leads = sorted(rnd.sample(leads, leads_wanted), key=lambda lead: lead.pk)
    # each project is judged once, when its course is written (bulk writes send no signals)
    with transaction.atomic(), acting_as(admin), judged_once():
        projects = [_project_from_lead(lead, officers) for lead in leads]
        projects += _direct_projects(direct_wanted, parks, officers, rng, today)
        for project in projects:
            plan_default_milestones(project)
        _carry_out(projects, rnd, rng, today)


def _project_from_lead(lead: Lead, officers: dict[int, User]) -> KeyProject:
    fields = lead_defaults(lead)
    lead_id, park_id = fields.pop("lead"), fields.pop("park")
    return KeyProject.objects.create(
        **fields,
        lead_id=lead_id,
        park_id=park_id,
        responsible_unit=lead.company,
        officer=officers.get(park_id),
    )


def _direct_projects(count, parks, officers, rng, today) -> list[KeyProject]:
    """The government's own projects, round the list again in later phases."""
    projects = []
    for i in range(count):
        name, category, unit, (low, high), code = DIRECT[i % len(DIRECT)]
        name = _phased(name, i // len(DIRECT))
        park = next((p for p in parks if p.code == code), parks[i % len(parks)])
        # a later phase of the same project started later
        start = today - dt.timedelta(days=int(rng.integers(30, 900 // (1 + i // len(DIRECT)))))
        projects.append(
            KeyProject.objects.create(
                code=f"KP-{start.year}-G{i + 1:03d}",
                name=name,
                park=park,
                category=category,
                responsible_unit=unit,
                officer=officers.get(park.pk),
                total_investment=Decimal(int(rng.uniform(low, high) / 1e4) * 10_000),
                start_date=start,
                end_date=start + dt.timedelta(days=int(rng.integers(18, 37)) * 30),
            )
        )
    return projects


def _carry_out(projects, rnd, rng, today) -> None:
    """Each project's course up to today: milestones met or re-planned, monthly reports
    and issues."""
    by_pk = {project.pk: project for project in projects}
    milestones: dict[int, list[Milestone]] = {}
    for milestone in Milestone.objects.filter(project__in=projects).order_by(
        "project", "planned_date", "pk"
    ):
        milestone.project = by_pk[milestone.project_id]  # the log names it without a query
        milestones.setdefault(milestone.project_id, []).append(milestone)
    fates = _fates(projects, milestones, rnd, today)

    changed = []
    reports, issues = [], []
    for project in projects:
        fate = fates[project.pk]
        mine = milestones[project.pk]
        before = [copy.copy(m) for m in mine]
        _progress_milestones(project, mine, fate, rnd, rng, today)
        changed += [
            (old, new)
            for old, new in zip(before, mine, strict=True)
            if (old.planned_date, old.actual_date) != (new.planned_date, new.actual_date)
        ]
        reports += _reports(project, fate, rnd, rng, today)
        issues += _issues(project, fate, rnd, today)
    bulk_update_logged(Milestone, changed, ["planned_date", "actual_date"])
    bulk_create_logged(ProgressReport, reports)
    bulk_create_logged(ProjectIssue, issues)


def _phased(name: str, rounds: int) -> str:
    """The project's next phase each time the list comes round again."""
    phase = 1 if name.endswith("（二期）") else 0
    phase += rounds
    base = name.removesuffix("（二期）")
    return f"{base}（{PHASES[phase]}期）" if phase else base


def _officers() -> dict[int, User]:
    """The first park officer (by username) of each park that has one."""
    officers: dict[int, User] = {}
    for user in (
        User.objects.filter(role__code="park_officer", is_active=True)
        .prefetch_related("scope_grants")
        .order_by("username")
    ):
        for grant in user.scope_grants.all():
            if grant.kind == "park":
                officers.setdefault(grant.object_id, user)
    return officers


def _fraction(project: KeyProject, day: dt.date) -> float:
    """The elapsed share of the project's span on ``day``, as the status rules plan it."""
    span = (project.end_date - project.start_date).days
    if span <= 0:
        return 1.0 if day >= project.end_date else 0.0
    return min(1.0, max(0.0, (day - project.start_date).days / span))


def _fates(projects, milestones, rnd, today) -> dict[int, str]:
    """Each project's course: ``green``; ``amber`` (last month's report missing); ``red``
    (investment stalled) or ``late`` (a milestone over a month overdue)."""
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    fates = {project.pk: "green" for project in projects}
    reds = round(RED_SHARE * len(projects))
    stalled = [p for p in projects if _fraction(p, today) >= 0.6]
    blocked = [
        p
        for p in projects
        if _fraction(p, today) < 0.6
        and any(m.planned_date <= today - dt.timedelta(days=35) for m in milestones[p.pk])
    ]
    chosen = rnd.sample(stalled, min(len(stalled), reds))
    for project in chosen:
        fates[project.pk] = "red"
    for project in rnd.sample(blocked, min(len(blocked), reds - len(chosen))):
        fates[project.pk] = "late"
    reporting = [p for p in projects if fates[p.pk] == "green" and p.start_date <= last_month_end]
    for project in rnd.sample(reporting, min(len(reporting), round(AMBER_SHARE * len(projects)))):
        fates[project.pk] = "amber"
    return fates


def _progress_milestones(project, mine, fate, rnd, rng, today) -> None:
    """Re-plan some projects' later milestones, and date the milestones already met."""
    if fate in ("green", "amber") and rng.random() < REPLANNED_SHARE:
        k = rnd.randrange(1, len(mine))
        room = (project.end_date - mine[-1].planned_date).days
        delay = dt.timedelta(days=min(room, int(rng.integers(20, 120))))
        for milestone in mine[k:]:
            milestone.planned_date += delay
    passed = [m for m in mine if m.planned_date < today]
    if fate == "red":
        blocked = len(passed) - 1  # the latest milestone due is not met
    elif fate == "late":
        month_ago = today - dt.timedelta(days=35)
        blocked = max(i for i, m in enumerate(passed) if m.planned_date <= month_ago)
    else:
        blocked = len(passed)
    previous = project.start_date
    for milestone in passed[: max(0, blocked)]:
        draw = rng.random()
        if draw < 0.25:
            delta = -int(rng.integers(1, 21))  # early
        elif draw < 0.55:
            delta = 0
        else:
            delta = int(rng.integers(3, 61))  # late
        actual = milestone.planned_date + dt.timedelta(days=delta)
        if actual >= today:
            room = (today - milestone.planned_date).days - 1
            actual = milestone.planned_date + dt.timedelta(days=rnd.randint(0, max(0, room)))
        actual = max(actual, previous)
        milestone.actual_date = previous = actual


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _reports(project, fate, rnd, rng, today) -> list[ProgressReport]:
    """One cumulative report a month from the start month through last month."""
    total = float(project.total_investment)
    year, month = project.start_date.year, project.start_date.month
    last = (today.year, today.month)
    factor = float(rng.uniform(1.0, 1.1)) if fate != "late" else float(rng.uniform(0.6, 0.8))
    stall = _fraction(project, today) * float(rng.uniform(0.15, 0.35))
    ratio = float(rng.uniform(0.9, 1.0))  # physical progress against the investment share
    peak = min(900, max(20, int(total / 2.5e6)))
    reports: list[ProgressReport] = []
    done, progress, stalled_for = Decimal(0), 0, 0
    while (year, month) < last:
        end = _month_end(year, month)
        elapsed = _fraction(project, end)
        if fate == "red":
            share = min(elapsed, stall)
            if elapsed > stall:
                stalled_for += 1
                share += 0.002 * stalled_for
        elif end >= project.end_date:
            share = 1.0
        else:
            share = elapsed * factor + float(rng.normal(0, 0.008))
        share = max(0.0, min(1.0, share))
        rounded = Decimal(int(total * share / 1e4) * 10_000)
        amount = max(done, project.total_investment if share >= 1 else rounded)
        finished = amount >= project.total_investment
        progress = 100 if finished else max(progress, min(99, round(100 * share * ratio)))
        month_amount = amount - done
        if finished and month_amount == 0:
            text, workforce = "项目已竣工，进入生产运营", max(5, peak // 10)
        else:
            text = _phase(float(amount) / total)
            if stalled_for:
                text = rnd.choice(STALLED) + text
            text += f"；本月完成投资{float(month_amount) / 1e4:,.0f}万元"
            crew = 0.2 + math.sin(math.pi * min(1.0, elapsed))
            workforce = int(peak * crew * (0.3 if stalled_for else rng.uniform(0.85, 1.15)))
        reports.append(
            ProgressReport(
                project=project,
                month=f"{year:04d}-{month:02d}",
                investment_completed=amount,
                physical_progress=progress,
                workforce=max(1, workforce),
                text=text,
            )
        )
        done = amount
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if fate == "amber" and reports:
        reports.pop()  # last month's report not in yet
    return reports


def _phase(share: float) -> str:
    if share < 0.08:
        return "完成场地平整，临时设施搭建"
    if share < 0.25:
        return "桩基础及地下工程施工"
    if share < 0.5:
        return "主体结构施工"
    if share < 0.7:
        return "主体结构封顶，屋面及外立面施工"
    if share < 0.9:
        return "机电安装及室内装修"
    return "设备安装调试，准备竣工验收"


def _issues(project, fate, rnd, today) -> list[ProjectIssue]:
    """Resolved issues, open ones not yet due and, for lagging projects, overdue ones."""
    first_due = project.start_date + dt.timedelta(days=14)
    if fate in ("red", "late"):
        plan = ["overdue"] + rnd.choices(["resolved", "overdue", "open"], k=rnd.randint(0, 2))
    elif fate == "amber":
        plan = ["open"] + (["resolved"] if rnd.random() < 0.5 else [])
    else:
        plan = rnd.choices(["resolved", "open", "overdue"], weights=(6, 3, 1), k=rnd.randint(0, 2))
    issues = []
    for kind, (issue, description, owner, resolution) in zip(
        plan, rnd.sample(ISSUES, len(plan)), strict=True
    ):
        days_open = (today - first_due).days
        if kind in ("resolved", "overdue") and days_open < 2:
            kind = "open"  # a project too young for issues already due
        if kind == "open":
            due = today + dt.timedelta(days=rnd.randint(5, 60))
        else:
            due = today - dt.timedelta(days=rnd.randint(1, min(days_open, 120)))
        resolved_on = None
        if kind == "resolved":
            resolved_on = due + dt.timedelta(days=rnd.randint(-20, 15))
            resolved_on = min(today, max(project.start_date, resolved_on))
        issues.append(
            ProjectIssue(
                project=project,
                kind=issue,
                description=description,
                owner_unit=owner,
                due_date=due,
                resolution=resolution if resolved_on else "",
                resolved_on=resolved_on,
            )
        )
    return issues
