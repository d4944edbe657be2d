"""The demo zone's evaluation: a scheme after the published county schemes, the facts it
adjusts and vetoes on, and an official run for every year of figures."""

from __future__ import annotations

import numpy as np
from django.db import transaction

from beacon.core.changelog import acting_as, bulk_create_logged
from beacon.core.models import User
from beacon.core.versions import save_version
from beacon.evaluation.choices import FlagKind
from beacon.evaluation.models import AnnualFlag, Scheme
from beacon.evaluation.services import mark_official, run_evaluation
from beacon.registry.models import AnnualFigure

from .plan import FIGURE_YEARS, SEED

# After Huangyan's weights (tax 30, value added 20, energy 20, emissions 10, labour 10,
# R&D 10) with benchmarks taken from the zone itself, Huai'an's quotas and its exclusion of
# firms in production under two years.
DEMO_SCHEME = """\
name: 示范高新区规上工业企业亩均效益综合评价
scope:                       # 规上工业企业，投产满两年
  - {field: above_scale, op: "==", value: true}
  - {field: industry_section, op: "==", value: C}
  - {field: years_operating, op: ">=", value: 2}
indicators:
  - key: tax_per_mu
    label: {zh: 亩均税收, en: Tax per mu}
    numerator: tax
    denominator: land_mu
    weight: 30
    method: ratio
    benchmark: aggregate
    cap: 2.0
  - key: value_added_per_mu
    label: {zh: 亩均工业增加值, en: Value added per mu}
    numerator: value_added
    denominator: land_mu
    weight: 20
    method: ratio
    benchmark: aggregate
    cap: 2.0
  - key: value_added_per_tce
    label: {zh: 单位能耗工业增加值, en: Value added per tce of energy}
    numerator: value_added
    denominator: energy_tce
    weight: 20
    method: ratio
    benchmark: aggregate
    cap: 2.0
  - key: value_added_per_t_emission
    label: {zh: 单位排放工业增加值, en: Value added per tonne of main pollutants}
    numerator: value_added
    denominator: emissions_t
    weight: 10
    method: ratio
    benchmark: median
    cap: 2.0
    missing: average_points   # 无排放数据的企业取该项平均得分
  - key: labour_productivity
    label: {zh: 全员劳动生产率, en: Value added per employee}
    numerator: value_added
    denominator: employees
    weight: 10
    method: ratio
    benchmark: aggregate
    cap: 2.0
  - key: rd_intensity
    label: {zh: 研发经费支出占营业收入比重, en: R&D spending over revenue}
    numerator: rd_expense
    denominator: revenue
    weight: 10
    method: minmax
adjustments:
  - {when: [{field: high_tech, op: "==", value: true}], points: 3, reason: 高新技术企业加分}
  - when: [{field: safety_incident, op: "==", value: true}]
    points: -10
    reason: 较大安全生产事故扣分
veto:
  - {when: [{field: env_violation, op: "==", value: true}], reason: 重大环境违法行为一票否决}
classes:
  method: quota
  quota: {A: 0.20, B: 0.40, C: 0.35, D: 0.05}
  tie_break: [tax, revenue]
"""
DEMO_SCHEME_CODE = "above-scale-industry"
# Shares of the year's reporting enterprises with each fact on record.
FLAG_SHARES = {FlagKind.SAFETY_INCIDENT: 0.012, FlagKind.ENV_VIOLATION: 0.006}
FLAG_SOURCES = {FlagKind.SAFETY_INCIDENT: "应急管理局", FlagKind.ENV_VIOLATION: "生态环境局"}


def build_demo_evaluation(seed: int = SEED) -> None:
    """The scheme, the facts and one official run per year, as the demo administrator."""
    admin = User.objects.filter(username="admin").first()
    rng = np.random.default_rng([seed, 3])
    with transaction.atomic(), acting_as(admin):
        scheme = Scheme.objects.create(
            code=DEMO_SCHEME_CODE,
            name="规上工业企业亩均效益综合评价",
            description="按黄岩区指标权重、淮安市分档比例，基准值取全区当年总量。",
        )
        save_version(scheme, DEMO_SCHEME, admin, "首版")
        flags = []
        for year in FIGURE_YEARS:
            reporting = np.array(
                AnnualFigure.objects.filter(year=year)
                .order_by("enterprise_id")
                .values_list("enterprise_id", flat=True)
            )
            for kind, share in FLAG_SHARES.items():
                chosen = reporting[rng.random(reporting.size) < share]
                flags += [
                    AnnualFlag(
                        enterprise_id=int(i), year=year, flag=kind, source=FLAG_SOURCES[kind]
                    )
                    for i in chosen.tolist()
                ]
        bulk_create_logged(AnnualFlag, flags)
    for year in FIGURE_YEARS:
        mark_official(run_evaluation(scheme, year, admin, note="演示数据"))
