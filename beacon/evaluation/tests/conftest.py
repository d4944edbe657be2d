"""A scheme and a year of figures small enough to score by hand.

The conftest zone's four enterprises get these 2023 figures (yuan, mu):

    enterprise      park  tax        value added  land  tax/mu   VA/mu
    p1_enterprises0 P1    8,000,000  30,000,000   50    160,000  600,000
    p1_enterprises1 P1    5,000,000  30,000,000   50    100,000  600,000
    p2_enterprises0 P2    2,500,000  30,000,000   25    100,000  1,200,000
    p2_enterprises1 P2    1,000,000  30,000,000   50     20,000  600,000

Tax per mu against a fixed 100,000 (weight 60, cap 2): 96, 60, 60, 12 points. Value added per
mu against the aggregate 120,000,000 / 175 = 685,714.29 (weight 40): 35, 35, 70, 35.
Scores 131, 95, 130, 47; quotas of a quarter each give A, C, B, D and ranks 1, 3, 2, 4.
"""

from decimal import Decimal

import pytest

from beacon.core.versions import save_version
from beacon.evaluation.models import Scheme

SCHEME = """\
name: Test scheme
indicators:
  - key: tax_per_mu
    label: {zh: 亩均税收, en: Tax per mu}
    numerator: tax
    denominator: land_mu
    weight: 60
    method: ratio
    benchmark: 100000
    cap: 2.0
  - {key: va_per_mu, numerator: value_added, denominator: land_mu, weight: 40, method: ratio,
     benchmark: aggregate}
adjustments:
  - {when: [{field: safety_incident, op: "==", value: true}], points: -10, reason: safety incident}
veto:
  - {when: [{field: env_violation, op: "==", value: true}], reason: environmental violation}
classes:
  method: quota
  quota: {A: 0.25, B: 0.25, C: 0.25, D: 0.25}
  tie_break: [tax]
"""
FIGURES_2023 = (("p1", 0, 8_000_000, 50), ("p1", 1, 5_000_000, 50), ("p2", 0, 2_500_000, 25))
FIGURES_2023 += (("p2", 1, 1_000_000, 50),)
# (score, class, rank) of each enterprise above, in the same order
EXPECTED_2023 = ((131.0, "A", 1), (95.0, "C", 3), (130.0, "B", 2), (47.0, "D", 4))


def hand_zone(zone) -> list:
    """Set the 2023 figures of the table above; the enterprises in its order."""
    enterprises = []
    for park, index, tax, land in FIGURES_2023:
        enterprise = zone[f"{park}_enterprises"][index]
        figure = enterprise.figures.get(year=2023)
        figure.tax, figure.value_added, figure.land_mu = Decimal(tax), Decimal(30_000_000), land
        figure.save()
        enterprises.append(enterprise)
    return enterprises


def make_scheme(text: str = SCHEME, code: str = "test", user=None) -> Scheme:
    scheme = Scheme.objects.create(code=code, name="测试方案")
    save_version(scheme, text, user, "first")
    return scheme


@pytest.fixture
def scheme(db):
    return make_scheme()
