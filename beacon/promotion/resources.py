"""The promotion's import/export tables. Column names are public: scripts rely on them."""

import copy

from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.core.changelog import bulk_update_logged
from beacon.core.resources import Column, Resource, register

from .choices import ORDER, Stage
from .claims import keep_rivals
from .models import Activity, Lead, StageChange, Team
from .services import open_leads


@register
class TeamResource(Resource):
    kind = "teams"
    model = Team
    key = ("code",)
    columns = (
        Column("code", ("小分队代码", "代码"), required=True, example="nev-1"),
        Column("name", ("小分队名称", "名称"), required=True, example="新能源汽车招商一组"),
        Column("name_en", ("英文名称",), example="New-energy vehicles team 1"),
        Column("industries", ("主攻产业代码", "产业代码"), kind="m2m", example="3612;3841"),
        Column("regions", ("主攻区域", "区域"), example="广东省;江苏省苏州市"),
        Column("description", ("说明",), example=""),
    )


@register
class ActivityResource(Resource):
    kind = "activities"
    model = Activity
    key = ("team", "date", "title")
    select_related = ("team",)
    columns = (
        Column("team", ("小分队代码", "小分队"), kind="fk", required=True, example="nev-1"),
        Column("date", ("日期",), kind="date", required=True, example="2024-03-09"),
        Column("title", ("活动名称", "名称"), required=True, example="拜访宁德时代总部"),
        Column("kind", ("活动类型", "类型"), kind="choice", required=True, example="visit"),
        Column("end_date", ("结束日期",), kind="date", example=""),
        Column("place", ("地点",), example="福建省宁德市"),
        Column("participants", ("参加人员",), example="张三;李四"),
        Column("companies_met", ("洽谈企业",), example=""),
        Column("leads", ("线索编号",), kind="m2m", lookup="pk", example=""),
        Column("notes", ("纪要", "备注"), example=""),
        Column("follow_up", ("跟进事项",), example="寄送园区资料"),
        Column("follow_up_due", ("跟进期限",), kind="date", example="2024-03-20"),
        Column("follow_up_done", ("已跟进",), kind="bool", example="false"),
    )


@register
class LeadResource(Resource):
    """New leads start in stage ``lead`` on ``lead_date``; their later stages are the
    ``stage-history`` table's."""

    kind = "leads"
    model = Lead
    key = ("company", "project")
    select_related = ("team", "proposed_park", "industry")
    columns = (
        Column(
            "company", ("企业名称", "企业"), required=True, example="宁德时代新能源科技股份有限公司"
        ),
        Column("project", ("项目名称", "项目"), required=True, example="动力电池生产基地"),
        Column("team", ("小分队代码", "小分队"), kind="fk", required=True, example="nev-1"),
        Column("lead_date", ("线索日期",), kind="date", attr="stage_date", example="2024-03-09"),
        Column("company_en", ("英文名称",), example="CATL"),
        Column("uscc", ("统一社会信用代码", "信用代码"), example="91350900587527783P"),
        Column("hq_province", ("总部省份",), example="福建省"),
        Column("hq_city", ("总部城市",), example="宁德市"),
        Column("industry", ("行业代码",), kind="fk", example="3841"),
        Column("chain_link", ("产业链环节",), example="动力电池电芯"),
        Column("description", ("项目简介",), example=""),
        Column("planned_investment", ("计划投资（元）", "计划投资"), kind="decimal", example=5e9),
        Column("expected_output", ("预计年产值（元）",), kind="decimal", example=1e10),
        Column("expected_tax", ("预计年税收（元）",), kind="decimal", example=4e8),
        Column("expected_jobs", ("预计就业人数",), kind="int", example=2000),
        Column("land_need_mu", ("用地需求（亩）",), kind="decimal", example=500),
        Column("floor_space_need_m2", ("厂房需求（平方米）",), kind="decimal", example=""),
        Column("source", ("线索来源", "来源"), kind="choice", example="activity"),
        Column("source_note", ("来源说明",), example="2024 新春招商推介会"),
        Column("proposed_park", ("拟落户园区代码", "拟落户园区"), kind="fk", example="P1"),
        Column("contacts", ("联系人",), example=""),
    )

    def build(self, values, before):
        lead = super().build(values, before)
        if before is None and not lead.stage_date:
            lead.stage_date = timezone.localdate()
        return lead

    def validate(self, instance, user, action, values):
        problems = super().validate(instance, user, action, values)
        if instance.stage_date and instance.stage_date > timezone.localdate():
            problems.append(("lead_date", _("the date is in the future")))
        return problems

    def create(self, objs, user) -> None:
        open_leads(objs, user)

    def write(self, plan, result, user) -> None:
        super().write(plan, result, user)
        # updated rows may have been renamed or re-filed: their rivals are found again
        watched = ("uscc", "company", "company_en", "team_id", "proposed_park_id")
        changed = [
            lead
            for _r, before, lead, _m in plan
            if before is not None and any(getattr(before, f) != getattr(lead, f) for f in watched)
        ]
        if changed:
            keep_rivals(changed)


@register
class StageHistoryResource(Resource):
    """One row per stage a lead reached, dated. Importing adds the rows and sets each lead's
    stage to its latest dated one; a lead already in that row's stage on that date is
    unchanged. It files no enterprise: moving a lead to production in Beacon does."""

    kind = "stage-history"
    model = StageChange
    key = ("lead", "stage", "date")
    select_related = ("lead",)
    columns = (
        Column("lead", ("线索编号",), kind="fk", lookup="pk", required=True, example=1),
        Column("stage", ("阶段",), kind="choice", required=True, example="contacted"),
        Column("date", ("日期",), kind="date", required=True, example="2024-03-15"),
        Column("reason", ("原因", "说明"), example=""),
    )

    def validate(self, instance, user, action, values):
        problems = super().validate(instance, user, action, values)
        if instance.stage == Stage.DROPPED and not instance.reason:
            problems.append(("reason", _("say why the lead is dropped")))
        return problems

    def write(self, plan, result, user) -> None:
        for _r, _b, change, _m in plan:
            change.moved_by = change.moved_by or user
        super().write(plan, result, user)
        leads = {change.lead_id for _r, _b, change, _m in plan}
        latest = {}
        for change in StageChange.objects.filter(lead__in=leads).order_by("date", "pk"):
            rank = (change.date, ORDER.index(change.stage) if change.stage in ORDER else -1)
            if change.lead_id not in latest or rank >= latest[change.lead_id][0]:
                latest[change.lead_id] = (rank, change)
        pairs = []
        for lead in Lead.objects.filter(pk__in=leads):
            _rank, change = latest[lead.pk]
            after = copy.copy(lead)
            after.stage, after.stage_date = change.stage, change.date
            after.dropped_reason = change.reason if change.stage == Stage.DROPPED else ""
            pairs.append((lead, after))
        bulk_update_logged(Lead, pairs, ["stage", "stage_date", "dropped_reason"])
        # a lead dropped or reopened by the history gains or loses its rivals
        keep_rivals(
            [
                after
                for before, after in pairs
                if (before.stage == Stage.DROPPED) != (after.stage == Stage.DROPPED)
            ]
        )
