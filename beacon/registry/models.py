"""The registry: one zone, its parks and land, and one file per enterprise."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from beacon.core.links import object_url
from beacon.core.models import BeaconModel, BilingualNameMixin, Recorded
from beacon.core.validators import HeldByDatabase, USCCField, validate_uscc, validate_year

from .choices import (
    ClassificationLevel,
    EnterpriseStatus,
    LandUse,
    ParcelStatus,
    PlatformKind,
    PlatformLevel,
    TalentKind,
)
from .validators import validate_geojson_outline

M2_PER_MU = Decimal(2000) / Decimal(3)  # 1 mu = 666.67 m²
NON_NEGATIVE = [MinValueValidator(0)]


def amount_field(verbose_name, **kwargs):
    """A non-negative money or quantity column, blank when not reported."""
    return models.DecimalField(
        verbose_name,
        max_digits=kwargs.pop("max_digits", 18),
        decimal_places=kwargs.pop("decimal_places", 2),
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        **kwargs,
    )


class IndustryClass(BilingualNameMixin, BeaconModel):
    """A code of the national industry classification GB/T 4754-2017 (国民经济行业分类)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=ClassificationLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        related_name="children",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    section = models.CharField(_("section"), max_length=1, db_index=True)
    note = models.TextField(_("explanatory note"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry class")
        verbose_name_plural = _("industry classes")

    def __str__(self):
        return f"{self.code} {self.display_name}"

    def get_absolute_url(self):
        return object_url("registry:industryclass", self.pk)


class Zone(BilingualNameMixin, BeaconModel):
    """The development zone the administration runs (管委会)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def get_absolute_url(self):
        return object_url("registry:zone", self.pk)


class Park(BilingualNameMixin, BeaconModel):
    """A park of the zone, with its positioning: the industries it is for."""

    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), related_name="parks", on_delete=models.PROTECT
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    positioning = models.TextField(_("positioning"), blank=True)
    industries = models.ManyToManyField(
        IndustryClass, verbose_name=_("industries"), related_name="parks", blank=True
    )
    area_mu = amount_field(_("planned area (mu)"), max_digits=12)
    address = models.CharField(_("address"), max_length=300, blank=True)

    scope_paths = {"park": "pk"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")

    def get_absolute_url(self):
        return object_url("registry:park", self.pk)


class Parcel(BeaconModel):
    """A plot of land in a park, by area in mu (m² derived) and supply status."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    park = models.ForeignKey(
        Park, verbose_name=_("park"), related_name="parcels", on_delete=models.PROTECT
    )
    area_mu = models.DecimalField(
        _("area (mu)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    land_use = models.CharField(
        _("land use"), max_length=20, choices=LandUse.choices, default=LandUse.INDUSTRIAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ParcelStatus.choices, default=ParcelStatus.PLANNED
    )
    outline = models.JSONField(
        _("outline (GeoJSON)"), null=True, blank=True, validators=[validate_geojson_outline]
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_paths = {"park": "park"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")

    def __str__(self):
        return self.code

    @property
    def area_m2(self) -> Decimal:
        return (self.area_mu * M2_PER_MU).quantize(Decimal("0.01"))

    def get_absolute_url(self):
        return object_url("registry:parcel", self.pk)


class Enterprise(BilingualNameMixin, BeaconModel):
    """One enterprise, one file (一企一档): identity, industry, park, land and flags."""

    uscc = USCCField(_("Unified Social Credit Code"), unique=True, validators=[validate_uscc])
    industry = models.ForeignKey(
        IndustryClass,
        verbose_name=_("industry class"),
        related_name="enterprises",
        on_delete=models.PROTECT,
        limit_choices_to={"level": ClassificationLevel.CLASS},
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), related_name="enterprises", on_delete=models.PROTECT
    )
    parcels = models.ManyToManyField(
        Parcel, verbose_name=_("parcels"), related_name="enterprises", blank=True
    )
    business_scope = models.TextField(_("business scope"), blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    high_tech = models.BooleanField(_("certified high-tech enterprise"), default=False)
    high_tech_expiry = models.DateField(_("high-tech certificate expiry"), null=True, blank=True)
    srdi = models.BooleanField(
        _("specialised, refined, distinctive, innovative SME"), default=False
    )
    little_giant = models.BooleanField(_("little giant"), default=False)
    above_scale = models.BooleanField(_("above designated size"), default=False)
    chain_master = models.BooleanField(_("chain master"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.ACTIVE,
        db_index=True,
    )

    scope_paths = {"park": "park", "enterprise": "pk"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["park", "status"], name="registry_ent_park_status"),
            # Lists are sorted by name, zone-wide and within a park (park officers, filters):
            # without these the database sorts every matching row to show the first fifty.
            models.Index(fields=["name"], name="registry_ent_name"),
            models.Index(fields=["park", "name"], name="registry_ent_park_name"),
            # Covers the dashboard's counts by park, section and high-tech status, so they
            # read the index instead of 100,000 wide rows.
            models.Index(
                fields=["status", "park", "high_tech", "industry"], name="registry_ent_dashboard"
            ),
        ]
        constraints = [
            # The field keeps codes in upper case; the database holds it to that whoever
            # writes, so one company is filed once however its code was typed.
            HeldByDatabase(Upper("uscc"), name="registry_enterprise_uscc_any_case")
        ]

    def get_absolute_url(self):
        return object_url("registry:enterprise", self.pk)


# An annual figure's measures, as its columns are named everywhere (forms, API, evaluation).
FIGURE_MEASURES = (
    "revenue",
    "industrial_output",
    "value_added",
    "tax",
    "employees",
    "rd_expense",
    "energy_tce",
    "electricity_kwh",
    "emissions_t",
    "land_mu",
    "floor_area_m2",
    "exports",
)


class AnnualFigure(BeaconModel):
    """An enterprise's figures for one year (yuan unless the field says otherwise)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), related_name="figures", on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    revenue = amount_field(_("revenue (yuan)"))
    industrial_output = amount_field(_("industrial output (yuan)"))
    value_added = amount_field(_("value added (yuan)"))
    tax = amount_field(_("taxes paid (yuan)"))
    employees = models.PositiveIntegerField(_("average employees"), null=True, blank=True)
    rd_expense = amount_field(_("R&D expenditure (yuan)"))
    energy_tce = amount_field(_("energy use (tce)"), decimal_places=3)
    electricity_kwh = amount_field(_("electricity (kWh)"))
    emissions_t = amount_field(_("main pollutant emissions (t)"), decimal_places=3)
    land_mu = amount_field(_("land used (mu)"), max_digits=12)
    floor_area_m2 = amount_field(_("floor area (m²)"), max_digits=14)
    exports = amount_field(_("exports (yuan)"))

    scope_paths = {"park": "enterprise__park", "enterprise": "enterprise"}

    # shown in its enterprise's history
    change_log = Recorded(parent="enterprise")

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("annual figures")
        verbose_name_plural = _("annual figures")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="registry_annualfigure_enterprise_year",
                violation_error_message=_("This enterprise already has figures for this year."),
            )
        ]
        # Covers the yearly totals of the dashboard (and any lookup by year).
        indexes = [
            models.Index(
                fields=["year", "industrial_output", "tax", "revenue"],
                name="registry_figure_year_totals",
            )
        ]

    def __str__(self):
        return f"{self.enterprise} {self.year}"

    def get_absolute_url(self):
        return object_url("registry:annualfigure", self.pk)


class InnovationPlatform(BilingualNameMixin, BeaconModel):
    """A laboratory, research institute, incubator or university campus in the zone."""

    kind = models.CharField(_("kind"), max_length=20, choices=PlatformKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=PlatformLevel.choices)
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        related_name="platforms",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("host enterprise"),
        related_name="platforms",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    established = models.PositiveSmallIntegerField(
        _("year established"), null=True, blank=True, validators=[validate_year]
    )
    description = models.TextField(_("description"), blank=True)

    scope_paths = {"park": "park", "enterprise": "enterprise"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("innovation platform")
        verbose_name_plural = _("innovation platforms")

    def get_absolute_url(self):
        return object_url("registry:innovationplatform", self.pk)


class Talent(BilingualNameMixin, BeaconModel):
    """A talent brought in under a programme, or a start-up team, tied to a park or enterprise."""

    kind = models.CharField(_("kind"), max_length=20, choices=TalentKind.choices)
    field = models.CharField(_("field"), max_length=200, blank=True)
    programme = models.CharField(_("talent programme"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year introduced"), null=True, blank=True, validators=[validate_year]
    )
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        related_name="talents",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        related_name="talents",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)

    scope_paths = {"park": "park", "enterprise": "enterprise"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("talent or start-up team")
        verbose_name_plural = _("talents and start-up teams")

    def get_absolute_url(self):
        return object_url("registry:talent", self.pk)


# -- totals kept for the dashboard ---------------------------------------------------------
# Counted once as the registry is written (beacon.registry.tallies), in the same transaction,
# so the dashboard reads a few hundred rows at any zone size. Each row is one park's, so a
# park officer's totals are the rows of their parks (permissions.restrict_kept).


class EnterpriseTally(models.Model):
    """How many active enterprises a park has in an industry class, high-tech or not."""

    park = models.ForeignKey(Park, related_name="+", on_delete=models.CASCADE)
    industry = models.ForeignKey(IndustryClass, related_name="+", on_delete=models.CASCADE)
    high_tech = models.BooleanField()
    enterprises = models.PositiveIntegerField()

    scope_paths = {"park": "park"}

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["park", "industry", "high_tech"], name="registry_enterprisetally_key"
            )
        ]

    def __str__(self):
        return f"{self.park_id} {self.industry_id} {self.high_tech}: {self.enterprises}"


class FigureTally(models.Model):
    """A park's annual figures for one year, summed: how many rows, output, taxes, revenue
    (a blank amount counts as nothing)."""

    park = models.ForeignKey(Park, related_name="+", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    figures = models.PositiveIntegerField()
    industrial_output = models.DecimalField(max_digits=26, decimal_places=2)
    tax = models.DecimalField(max_digits=26, decimal_places=2)
    revenue = models.DecimalField(max_digits=26, decimal_places=2)

    scope_paths = {"park": "park"}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["park", "year"], name="registry_figuretally_key")
        ]

    def __str__(self):
        return f"{self.park_id} {self.year}: {self.figures}"
