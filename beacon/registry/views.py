from collections import Counter

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Sum
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from beacon.core.permissions import can, restrict, restrict_kept
from beacon.core.views import generic
from beacon.core.views.generic import views_for

from . import filtersets, forms, tables
from .choices import EnterpriseStatus, ParcelStatus
from .models import (
    AnnualFigure,
    Enterprise,
    EnterpriseTally,
    FigureTally,
    IndustryClass,
    InnovationPlatform,
    Parcel,
    Park,
    Talent,
    Zone,
)


class EnterpriseView(generic.ObjectView):
    model = Enterprise

    def get_extra_context(self, obj):
        user = self.request.user
        figures = restrict(obj.figures.all(), user, "view").order_by("year")
        return {
            "figures": figures,
            "can_view_figures": can(self.request.user, AnnualFigure, "view"),
            "can_add_figures": can(self.request.user, AnnualFigure, "add"),
            "trend": {
                "years": [f.year for f in figures],
                "output": [float(f.industrial_output or 0) for f in figures],
                "tax": [float(f.tax or 0) for f in figures],
                "labels": {"output": _("Industrial output (yuan)"), "tax": _("Taxes (yuan)")},
            },
        }


class ParkView(generic.ObjectView):
    model = Park

    def get_extra_context(self, obj):
        user = self.request.user
        summary = (
            restrict(obj.parcels.all(), user)
            .values("status")
            .annotate(n=Count("pk"), mu=Sum("area_mu"))
            .order_by("status")
        )
        labels = dict(ParcelStatus.choices)
        return {
            "enterprise_count": restrict(obj.enterprises.all(), user).count(),
            # The status label in the user's language, not the stored code.
            "parcel_summary": [
                {**row, "status": labels.get(row["status"], row["status"])} for row in summary
            ],
        }


def active_counts(user) -> list[tuple[int, str, bool, int]]:
    """(park, industry section, high-tech, enterprises) of the active enterprises ``user``
    sees: from the kept totals, or, for a scope finer than a park, from the few enterprises."""
    tallies = restrict_kept(EnterpriseTally.objects.all(), user, Enterprise)
    if tallies is None:
        rows = restrict(Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE), user)
        counted = Count("pk")
    else:
        rows, counted = tallies, Sum("enterprises")
    return list(
        rows.values("park", "industry__section", "high_tech")
        .annotate(n=counted)
        .order_by()
        .values_list("park", "industry__section", "high_tech", "n")
    )


def yearly_totals(user) -> list[dict]:
    """Output, taxes and revenue by year of the figures ``user`` sees, oldest first: from the
    kept totals, or, for a scope finer than a park, from the few figures."""
    rows = restrict_kept(FigureTally.objects.all(), user, AnnualFigure)
    if rows is None:
        rows = restrict(AnnualFigure.objects.all(), user)
    return list(
        rows.values("year")
        .annotate(output=Sum("industrial_output"), tax=Sum("tax"), revenue=Sum("revenue"))
        .order_by("year")
    )


class HomeView(LoginRequiredMixin, View):
    """The zone dashboard: enterprises by park and section, output and tax by year."""

    def get(self, request):
        user = request.user
        counts = active_counts(user)
        parks = {p.pk: p for p in Park.objects.filter(pk__in={row[0] for row in counts})}
        by_park = []
        for park in sorted(parks.values(), key=lambda p: p.code):
            mine = [row for row in counts if row[0] == park.pk]
            by_park.append(
                {
                    "park__name": park.name,
                    "park__name_en": park.name_en,
                    "n": sum(row[3] for row in mine),
                    "high_tech": sum(row[3] for row in mine if row[2]),
                }
            )
        per_section: Counter[str] = Counter()
        for _park, section, _high_tech, n in counts:
            per_section[section] += n
        by_section = sorted(per_section.items(), key=lambda s: (-s[1], s[0]))[:12]
        trend = yearly_totals(user) if can(user, AnnualFigure, "view") else []
        total = sum(p["n"] for p in by_park)
        high_tech = sum(p["high_tech"] for p in by_park)
        english = request.LANGUAGE_CODE == "en"
        # Sections ship with Chinese names only; English is shown where a user supplied it.
        sections = {c.code: c.display_name for c in IndustryClass.objects.filter(level="section")}
        context = {
            "total": total,
            "high_tech": high_tech,
            "high_tech_share": round(100 * high_tech / total, 1) if total else None,
            "parks": restrict(Park.objects.all(), user).count(),
            "chart": {
                "parks": [
                    (p["park__name_en"] if english and p["park__name_en"] else p["park__name"])
                    for p in by_park
                ],
                "park_counts": [p["n"] for p in by_park],
                "park_high_tech": [p["high_tech"] for p in by_park],
                "sections": [
                    {"name": f"{section} {sections.get(section, '')}".strip(), "value": n}
                    for section, n in by_section
                ],
                "years": [t["year"] for t in trend],
                "output": [round(float(t["output"] or 0) / 1e8, 2) for t in trend],
                "tax": [round(float(t["tax"] or 0) / 1e8, 2) for t in trend],
                "labels": {
                    "enterprises": _("Enterprises"),
                    "high_tech": _("High-tech"),
                    "output": _("Industrial output (100 million yuan)"),
                    "tax": _("Taxes (100 million yuan)"),
                },
            },
            "show_figures": bool(trend),
        }
        return render(request, "registry/home.html", context)


ZONE = views_for(Zone, filtersets.ZoneFilterSet, tables.ZoneTable, forms.ZoneForm)
PARK = views_for(Park, filtersets.ParkFilterSet, tables.ParkTable, forms.ParkForm, detail=ParkView)
INDUSTRY_CLASS = views_for(
    IndustryClass,
    filtersets.IndustryClassFilterSet,
    tables.IndustryClassTable,
    forms.IndustryClassForm,
)
PARCEL = views_for(
    Parcel, filtersets.ParcelFilterSet, tables.ParcelTable, forms.ParcelForm, related=("park",)
)
ENTERPRISE = views_for(
    Enterprise,
    filtersets.EnterpriseFilterSet,
    tables.EnterpriseTable,
    forms.EnterpriseForm,
    related=("park", "industry"),
    detail=EnterpriseView,
)
ANNUAL_FIGURE = views_for(
    AnnualFigure,
    filtersets.AnnualFigureFilterSet,
    tables.AnnualFigureTable,
    forms.AnnualFigureForm,
    related=("enterprise",),
)
INNOVATION_PLATFORM = views_for(
    InnovationPlatform,
    filtersets.InnovationPlatformFilterSet,
    tables.InnovationPlatformTable,
    forms.InnovationPlatformForm,
    related=("park", "enterprise"),
)
TALENT = views_for(
    Talent,
    filtersets.TalentFilterSet,
    tables.TalentTable,
    forms.TalentForm,
    related=("park", "enterprise"),
)
