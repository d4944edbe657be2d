"""The demo zone's investment promotion: a team per park, their activities, and leads that
move through the stages at the pace the articles describe (days to introduce a project,
about 8 days from land supply to construction start), some dropped, a few chased twice."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone

from beacon.core.changelog import acting_as, bulk_create_logged, bulk_link_logged
from beacon.core.models import ScopeGrant, User
from beacon.core.versions import save_version
from beacon.promotion.choices import ORDER, ActivityKind, ClaimStatus, LeadSource, Stage
from beacon.promotion.claims import normalise_name, rebuild_rivals
from beacon.promotion.models import (
    Activity,
    Lead,
    ParkEntryRule,
    PromotionTarget,
    StageChange,
    Team,
)
from beacon.registry.models import Enterprise, IndustryClass, Park

from .parks import PARKS
from .plan import SEED
from .uscc import make_uscc

SIZES = {"small": 600, "large": 20_000}
# Median days from each stage to the next, and the share of leads that go on.
PACE = {
    Stage.CONTACTED: (3.8, 0.85),
    Stage.NEGOTIATING: (21, 0.6),
    Stage.SIGNED: (45, 0.55),
    Stage.LAND_SUPPLIED: (50, 0.85),
    Stage.CONSTRUCTION_STARTED: (8, 0.92),
    Stage.IN_PRODUCTION: (300, 0.9),
}
DROP_REASONS = (
    "企业投资计划调整",
    "选址落户其他地区",
    "用地需求无法满足",
    "投资强度未达入园门槛",
    "企业经营状况变化",
    "环保评估未通过",
)
HQ = (
    ("广东省", "深圳市"),
    ("广东省", "广州市"),
    ("广东省", "佛山市"),
    ("广东省", "东莞市"),
    ("上海市", "上海市"),
    ("江苏省", "苏州市"),
    ("江苏省", "常州市"),
    ("浙江省", "杭州市"),
    ("浙江省", "宁波市"),
    ("安徽省", "合肥市"),
    ("湖北省", "武汉市"),
    ("四川省", "成都市"),
    ("福建省", "厦门市"),
    ("北京市", "北京市"),
    ("香港特别行政区", "香港"),
)
PROJECTS = ("生产基地", "研发制造总部", "扩产项目", "智能工厂")
BRANDS = "华锐科创盛泰博远航瑞德信恒达鑫宏嘉景明智峰凯新宇晟拓星源"
ENTRY_RULES = {
    "P1": '- {field: investment_per_mu, op: ">=", value: 3500000}\n'
    '- {field: tax_per_mu, op: ">=", value: 250000}',
    "P2": '- {field: investment_per_mu, op: ">=", value: 3000000}',
    "P3": '- {field: investment_per_mu, op: ">=", value: 3000000}\n'
    '- {field: output_per_mu, op: ">=", value: 8000000}',
}


def build_demo_promotion(size: str = "small", seed: int = SEED, today: dt.date | None = None):
    """Teams, activities, leads with their dated stages, entry rules and targets."""
    today = today or timezone.localdate()
    # Demo data, drawn again from its seed: not a secret (bandit B311).
    rnd = random.Random(seed)  # nosec B311
    rng = np.random.default_rng([seed, 4])
    admin = User.objects.filter(username="admin").first()
    parks = {p.code: p for p in Park.objects.all()}
    classes = dict(IndustryClass.objects.filter(level="class").values_list("code", "pk"))
    with transaction.atomic(), acting_as(admin):
        teams = {}
        for spec in PARKS:
            team = Team.objects.create(
                code=f"team-{spec.code.lower()}",
                name=f"{spec.name.removesuffix('产业园')}招商小分队",
                name_en=f"{spec.name_en.removesuffix(' Industrial Park')} promotion team",
                regions="广东省;上海市;江苏省;浙江省",
                description=spec.positioning,
            )
            team.industries.set([classes[line.code] for line in spec.lines if line.code in classes])
            teams[spec.code] = team
        promoter = User.objects.filter(username="promoter").first()
        if promoter is not None:
            ScopeGrant.objects.get_or_create(
                user=promoter, kind="team", object_id=teams[PARKS[0].code].pk
            )
        for code, text in ENTRY_RULES.items():
            if code in parks:
                rule = ParkEntryRule.objects.create(park=parks[code], note="入园门槛")
                save_version(rule, f"conditions:\n{_indent(text)}", admin)
        for year in range(today.year - 2, today.year + 1):
            PromotionTarget.objects.create(year=year, signed_investment=Decimal(30e9))
            for team in teams.values():
                PromotionTarget.objects.create(year=year, team=team, signed_investment=Decimal(6e9))

        leads, histories = _plan_leads(SIZES[size], rnd, rng, today, parks, teams, classes)
        bulk_create_logged(Lead, leads)
        changes = [
            StageChange(
                lead=lead,
                stage=stage,
                date=date,
                previous_stage=previous,
                reason=reason,
                moved_by=admin,
            )
            for lead, history in zip(leads, histories, strict=True)
            for stage, date, previous, reason in history
        ]
        bulk_create_logged(StageChange, changes)
        _flag_duplicates(leads)
        rebuild_rivals()
        entered = {lead.pk: history[0][1] for lead, history in zip(leads, histories, strict=True)}
        activities = _plan_activities(rnd, today, teams, leads, entered)
        bulk_create_logged(Activity, [a for a, _met in activities])
        bulk_link_logged(
            Activity,
            "leads",
            [(a, [(lead.pk, str(lead)) for lead in met]) for a, met in activities],
        )


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


def _plan_leads(count, rnd, rng, today, parks, teams, classes):
    start = dt.date(today.year - 3, 1, 1)
    span = (today - start).days - 10
    enterprises = {
        code: list(Enterprise.objects.filter(park__code=code).values_list("uscc", "name")[:400])
        for code in parks
    }
    leads, histories = [], []
    for i in range(count):
        spec = PARKS[rnd.randrange(len(PARKS))]
        line = rnd.choice(spec.lines)
        word = rnd.choice(line.words)
        province, city = rnd.choice(HQ)
        company = _company(rnd, rng, city, word, leads)
        land = Decimal(int(rng.lognormal(4.0, 0.8))).max(Decimal(5))
        per_mu = Decimal(int(rng.lognormal(15.2, 0.35)))  # yuan of investment per mu
        investment = (land * per_mu).quantize(Decimal(1))
        entered = start + dt.timedelta(days=int(rng.integers(0, span)))
        history = _stage_history(rnd, rng, entered, today)
        current = history[-1][0]
        uscc, enterprise_name = "", None
        if current == Stage.IN_PRODUCTION and enterprises.get(spec.code):
            uscc, enterprise_name = enterprises[spec.code].pop()
        elif current in (Stage.SIGNED, Stage.LAND_SUPPLIED, Stage.CONSTRUCTION_STARTED):
            uscc = make_uscc("441200", f"MA9{i:05d}")
        leads.append(
            Lead(
                uscc=uscc,
                company=enterprise_name or company,
                hq_province=province,
                hq_city=city,
                industry_id=classes.get(line.code),
                project=word.zh + rnd.choice(PROJECTS),
                planned_investment=investment,
                expected_output=(investment * Decimal(rng.uniform(1.2, 2.5))).quantize(Decimal(1)),
                expected_tax=(investment * Decimal(rng.uniform(0.04, 0.09))).quantize(Decimal(1)),
                expected_jobs=int(land * rng.integers(2, 8)),
                land_need_mu=land,
                source=rnd.choices(LeadSource.values, weights=(5, 2, 3, 1, 1))[0],
                team=teams[spec.code],
                proposed_park=parks.get(spec.code),
                stage=current,
                stage_date=history[-1][1],
                dropped_reason=history[-1][3] if current == Stage.DROPPED else "",
            )
        )
        histories.append(history)
    _link_enterprises(leads)
    return leads, histories


def _company(rnd, rng, city, word, leads) -> str:
    """A company of the city in the industry of the word, or now and then one already chased."""
    company = f"{city.removesuffix('市')}{rnd.choice(BRANDS)}{rnd.choice(BRANDS)}{word.zh}"
    company += "" if word.alone else rnd.choice(("科技", "技术", "制造", "实业"))
    company += "有限公司"
    if leads and rng.random() < 0.015:
        # another team is after a company already on the list (one claim per company)
        company = rnd.choice(leads).company.replace("有限公司", "股份有限公司")
    return company


def _stage_history(rnd, rng, entered, today) -> list[tuple[str, dt.date, str, str]]:
    """(stage, date, previous stage, reason) from the day a lead is entered: each stage at
    the articles' pace until the lead stops, then most leads short of production dropped
    and a few talks gone back a step."""
    history = [(Stage.LEAD, entered, "", "")]
    date, current = entered, Stage.LEAD
    for stage in ORDER[1:]:
        median, goes_on = PACE[stage]
        if rng.random() > goes_on:
            break
        step = max(0, int(round(rng.lognormal(np.log(median), 0.6))))
        if date + dt.timedelta(days=step) > today:
            break
        date += dt.timedelta(days=step)
        if stage == Stage.CONTACTED and rng.random() < 0.05:
            continue  # met straight at the negotiating table: no date for "contacted"
        history.append((stage, date, current, ""))
        current = stage
    if current not in (Stage.IN_PRODUCTION,) and rng.random() < 0.7:
        date = min(today, date + dt.timedelta(days=int(rng.integers(5, 120))))
        history.append((Stage.DROPPED, date, current, rnd.choice(DROP_REASONS)))
    elif current == Stage.NEGOTIATING and rng.random() < 0.03:
        # talks went back a step, with the reason the move back needs
        date = min(today, date + dt.timedelta(days=int(rng.integers(3, 30))))
        history.append((Stage.CONTACTED, date, current, "企业更换投资决策人，重新对接"))
    return history


def _link_enterprises(leads) -> None:
    """Leads in production linked both ways to the registry, as the move to production does."""
    ids = dict(
        Enterprise.objects.filter(uscc__in=[lead.uscc for lead in leads if lead.uscc]).values_list(
            "uscc", "pk"
        )
    )
    for lead in leads:
        if lead.stage == Stage.IN_PRODUCTION:
            lead.enterprise_id = ids.get(lead.uscc)


def _flag_duplicates(leads) -> None:
    """The same company chased by two teams: flag the later lead, as saving it would."""
    first: dict[str, Lead] = {}
    flagged = []
    for lead in sorted(leads, key=lambda lead: lead.pk):
        if lead.stage == Stage.DROPPED:
            continue
        key = normalise_name(lead.company)
        other = first.setdefault(key, lead)
        if other is not lead and other.team_id != lead.team_id:
            lead.claim, lead.possible_duplicate_of = ClaimStatus.FLAGGED, other
            flagged.append(lead)
    for lead in flagged:
        lead.save(update_fields=["claim", "possible_duplicate_of", "updated"])


def _plan_activities(rnd, today, teams, leads, entered):
    by_team: dict[int, list[Lead]] = {}
    for lead in leads:
        by_team.setdefault(lead.team_id, []).append(lead)
    kinds = ActivityKind.values
    activities = []
    for team in teams.values():
        mine = by_team.get(team.pk, [])
        for _ in range(max(10, len(mine) // 5)):
            met = rnd.sample(mine, k=min(len(mine), rnd.randint(1, 4))) if mine else []
            # met once all of them were leads, within a month
            date = max(entered[lead.pk] for lead in met) if met else today
            date = min(today, date + dt.timedelta(days=rnd.randint(0, 30)))
            kind = rnd.choices(kinds, weights=(6, 3, 1, 1, 2))[0]
            place = met[0].hq_city if met and kind == ActivityKind.VISIT else "肇庆市"
            due = date + dt.timedelta(days=14)
            activities.append(
                (
                    Activity(
                        team=team,
                        kind=kind,
                        title=f"{ActivityKind(kind).label}：{met[0].company if met else team.name}",
                        date=date,
                        place=place,
                        participants="招商小分队全体成员",
                        notes="介绍园区产业定位、用地与扶持政策，了解企业投资意向。",
                        follow_up="寄送项目可研模板，约定下一次洽谈",
                        follow_up_due=due,
                        follow_up_done=due < today,
                    ),
                    met,
                )
            )
    return activities
