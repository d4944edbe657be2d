from django.contrib import admin

from beacon.core.admin_scoped import ScopedModelAdmin

from . import models


@admin.register(models.Zone)
class ZoneAdmin(ScopedModelAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


@admin.register(models.Park)
class ParkAdmin(ScopedModelAdmin):
    list_display = ("code", "name", "name_en", "zone")
    search_fields = ("code", "name", "name_en")
    filter_horizontal = ("industries",)


@admin.register(models.IndustryClass)
class IndustryClassAdmin(ScopedModelAdmin):
    list_display = ("code", "name", "name_en", "level", "section")
    list_filter = ("level", "section")
    search_fields = ("code", "name", "name_en")
    raw_id_fields = ("parent",)


@admin.register(models.Parcel)
class ParcelAdmin(ScopedModelAdmin):
    list_display = ("code", "park", "area_mu", "land_use", "status")
    list_filter = ("status", "land_use", "park")
    search_fields = ("code",)


@admin.register(models.Enterprise)
class EnterpriseAdmin(ScopedModelAdmin):
    list_display = ("name", "uscc", "park", "industry", "status", "high_tech", "chain_master")
    list_filter = ("status", "high_tech", "above_scale", "chain_master", "park")
    search_fields = ("name", "name_en", "uscc", "business_scope")
    raw_id_fields = ("industry", "parcels")
    list_select_related = ("park", "industry")


@admin.register(models.AnnualFigure)
class AnnualFigureAdmin(ScopedModelAdmin):
    list_display = ("enterprise", "year", "revenue", "industrial_output", "tax", "employees")
    list_filter = ("year",)
    search_fields = ("enterprise__name", "enterprise__uscc")
    raw_id_fields = ("enterprise",)
    list_select_related = ("enterprise",)


@admin.register(models.InnovationPlatform)
class InnovationPlatformAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "level", "park")
    list_filter = ("kind", "level")
    raw_id_fields = ("enterprise",)


@admin.register(models.Talent)
class TalentAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "field", "park")
    list_filter = ("kind",)
    raw_id_fields = ("enterprise",)
