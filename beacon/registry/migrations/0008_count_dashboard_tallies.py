"""Count the dashboard's totals of the registry as it stands; from here on every write keeps
them (beacon.registry.tallies)."""

from collections import Counter
from decimal import Decimal

from django.db import migrations

SUMMED = ("industrial_output", "tax", "revenue")


def count(apps, schema_editor):
    Enterprise = apps.get_model("registry", "Enterprise")
    AnnualFigure = apps.get_model("registry", "AnnualFigure")
    EnterpriseTally = apps.get_model("registry", "EnterpriseTally")
    FigureTally = apps.get_model("registry", "FigureTally")
    counts = Counter(
        Enterprise.objects.filter(status="active").values_list("park_id", "industry_id", "high_tech")
    )
    EnterpriseTally.objects.bulk_create(
        EnterpriseTally(park_id=park, industry_id=industry, high_tech=high_tech, enterprises=n)
        for (park, industry, high_tech), n in counts.items()
    )
    sums = {}
    rows = AnnualFigure.objects.values_list("enterprise__park", "year", *SUMMED)
    for park, year, *amounts in rows.iterator(chunk_size=10_000):
        total = sums.setdefault((park, year), [0, *(Decimal(0) for _ in SUMMED)])
        total[0] += 1
        for i, amount in enumerate(amounts, start=1):
            total[i] += amount or 0
    FigureTally.objects.bulk_create(
        FigureTally(park_id=park, year=year, figures=n, **dict(zip(SUMMED, amounts)))
        for (park, year), (n, *amounts) in sums.items()
    )


def forget(apps, schema_editor):
    for name in ("EnterpriseTally", "FigureTally"):
        apps.get_model("registry", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_dashboard_tallies")]
    operations = [migrations.RunPython(count, forget)]
