import datetime as dt
from decimal import Decimal

import factory
from stdnum.cn import uscc

from beacon.registry import models


def make_uscc(n: int) -> str:
    """A valid Unified Social Credit Code for a company registered in Zhaoqing (441200)."""
    body = f"91441200MA{n:07d}"
    body = body.replace("I", "J").replace("O", "P")
    return body + uscc.calc_check_digit(body)


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Zone
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"zone{n}")
    name = "示范开发区"
    name_en = "Demonstration Zone"


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Park

    zone = factory.SubFactory(ZoneFactory)
    code = factory.Sequence(lambda n: f"PK{n}")
    name = factory.Sequence(lambda n: f"第{n}产业园")
    name_en = factory.Sequence(lambda n: f"Park {n}")
    positioning = "新能源汽车及零部件"


class ParcelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Parcel

    code = factory.Sequence(lambda n: f"LD-{n:04d}")
    park = factory.SubFactory(ParkFactory)
    area_mu = Decimal("45.50")
    status = "available"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Enterprise

    uscc = factory.Sequence(make_uscc)
    name = factory.Sequence(lambda n: f"肇庆示例{n}号新能源科技有限公司")
    name_en = factory.Sequence(lambda n: f"Example {n} New Energy Technology Co., Ltd.")
    industry = factory.LazyFunction(lambda: models.IndustryClass.objects.get(code="3841"))
    park = factory.SubFactory(ParkFactory)
    business_scope = "锂离子电池、动力电池系统的研发、生产和销售"
    founded = dt.date(2016, 3, 1)
    high_tech = True


class AnnualFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AnnualFigure

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2023
    revenue = Decimal("120000000")
    industrial_output = Decimal("110000000")
    value_added = Decimal("30000000")
    tax = Decimal("6000000")
    employees = 300
    land_mu = Decimal("50")


class InnovationPlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.InnovationPlatform

    name = factory.Sequence(lambda n: f"动力电池工程技术研究中心{n}")
    kind = "lab"
    level = "provincial"
    park = factory.SubFactory(ParkFactory)


class TalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Talent

    name = factory.Sequence(lambda n: f"智能传感创业团队{n}")
    kind = "startup_team"
    field = "智能传感器"
    park = factory.SubFactory(ParkFactory)
