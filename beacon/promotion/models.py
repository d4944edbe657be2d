"""Investment promotion (招商引资): teams, activities, leads and their dated stages, park
entry rules and the year's targets."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beacon.core.choices import ScopeKind
from beacon.core.links import object_url
from beacon.core.models import BeaconModel, BilingualNameMixin, Recorded, user_field
from beacon.core.querysets import RestrictedQuerySet
from beacon.core.validators import USCCField, validate_uscc, validate_year
from beacon.core.versions import RuleFileVersion, VersionedMixin
from beacon.registry.models import Enterprise, IndustryClass, Park, amount_field

from .choices import ORDER, ActivityKind, ClaimStatus, LeadSource, Stage


class Team(BilingualNameMixin, BeaconModel):
    """An investment-promotion team (招商小分队) and the industries and regions it covers.

    Its members are the users granted the team (``ScopeGrant`` of kind ``team``): being in
    a team and reaching its leads are one fact, kept in one place.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    industries = models.ManyToManyField(
        IndustryClass, verbose_name=_("industries covered"), related_name="teams", blank=True
    )
    regions = models.CharField(
        _("regions covered"),
        max_length=300,
        blank=True,
        help_text=_("Provinces or cities, separated by ';' (广东省;江苏省苏州市)."),
    )
    description = models.TextField(_("description"), blank=True)

    scope_paths = {"team": "pk"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("promotion team")
        verbose_name_plural = _("promotion teams")

    def get_absolute_url(self):
        return object_url("promotion:team", self.pk)

    @property
    def members(self):
        from beacon.core.models import User

        return User.objects.filter(
            scope_grants__kind=ScopeKind.TEAM, scope_grants__object_id=self.pk
        ).order_by("username")


class Activity(BeaconModel):
    """A visit, reception, conference, expo or online meeting of a team."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), related_name="activities", on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    companies_met = models.TextField(
        _("companies met"), blank=True, help_text=_("Companies not (yet) leads, one per line.")
    )
    leads = models.ManyToManyField(
        "Lead", verbose_name=_("leads met"), related_name="activities", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)

    scope_paths = {"team": "team"}

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("promotion activity")
        verbose_name_plural = _("promotion activities")
        indexes = [models.Index(fields=["team", "date"], name="promotion_activity_team_date")]

    def __str__(self):
        return f"{self.date} {self.title}"

    def get_absolute_url(self):
        return object_url("promotion:activity", self.pk)


class LeadQuerySet(RestrictedQuerySet):
    def projects(self):
        """Signed projects: leads that reached ``signed`` (or a later stage) and are not
        dropped. Key-project supervision takes these, the same rows, not copies."""
        later = ORDER[ORDER.index(Stage.SIGNED) :]
        return self.filter(stage__in=later)


class Lead(BeaconModel):
    """A prospect company and its project, worked through the stages by one team.

    A signed lead is the project key-project supervision tracks; reaching production it
    becomes (or updates) the enterprise in the registry, linked both ways.
    """

    # the company
    uscc = USCCField(
        _("Unified Social Credit Code"), blank=True, db_index=True, validators=[validate_uscc]
    )
    company = models.CharField(_("company"), max_length=200)
    company_en = models.CharField(_("company (English)"), max_length=200, blank=True)
    hq_province = models.CharField(_("headquarters province"), max_length=40, blank=True)
    hq_city = models.CharField(_("headquarters city"), max_length=40, blank=True)
    industry = models.ForeignKey(
        IndustryClass,
        verbose_name=_("industry class"),
        related_name="leads",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": "class"},
    )
    chain_link = models.CharField(_("chain link"), max_length=100, blank=True)
    # the project
    project = models.CharField(_("project"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    planned_investment = amount_field(_("planned investment (yuan)"))
    expected_output = amount_field(_("expected annual output (yuan)"))
    expected_tax = amount_field(_("expected annual tax (yuan)"))
    expected_jobs = models.PositiveIntegerField(_("expected jobs"), null=True, blank=True)
    land_need_mu = amount_field(_("land needed (mu)"), max_digits=12)
    floor_space_need_m2 = amount_field(_("floor space needed (m²)"), max_digits=14)
    # where it came from and who works it
    source = models.CharField(
        _("source"), max_length=20, choices=LeadSource.choices, default=LeadSource.OTHER
    )
    source_activity = models.ForeignKey(
        Activity,
        verbose_name=_("source activity"),
        related_name="sourced_leads",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    source_note = models.CharField(_("source note"), max_length=200, blank=True)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), related_name="leads", on_delete=models.PROTECT
    )
    proposed_park = models.ForeignKey(
        Park,
        verbose_name=_("proposed park"),
        related_name="leads",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    contacts = models.TextField(_("contacts"), blank=True)
    # where it stands: kept with every stage change (StageChange has the history)
    stage = models.CharField(
        _("stage"), max_length=30, choices=Stage.choices, default=Stage.LEAD, db_index=True
    )
    stage_date = models.DateField(_("in this stage since"))
    dropped_reason = models.CharField(_("why dropped"), max_length=300, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        related_name="leads",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    claim = models.CharField(
        _("claim"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.CLEAR
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possibly the same company as"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    objects = LeadQuerySet.as_manager()

    scope_paths = {"team": "team", "park": "proposed_park"}

    class Meta:
        ordering = ["-stage_date", "-pk"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            # the board: a stage's latest leads read in the index's order, and its count and
            # planned investment read from the index alone (in the user's scope)
            models.Index(
                fields=["stage", "-stage_date", "-id", "planned_investment"],
                name="promotion_lead_stage_latest",
            ),
            models.Index(
                fields=["team", "stage", "-stage_date", "planned_investment"],
                name="promotion_lead_team_stage",
            ),
            models.Index(
                fields=["proposed_park", "stage", "-stage_date", "planned_investment"],
                name="promotion_lead_park_stage",
            ),
            models.Index(fields=["company"], name="promotion_lead_company"),
        ]

    def __str__(self):
        return f"{self.company} · {self.project}"

    def get_absolute_url(self):
        return object_url("promotion:lead", self.pk)

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.DROPPED

    @property
    def stage_index(self) -> int | None:
        return ORDER.index(self.stage) if self.stage in ORDER else None


class RivalClaim(models.Model):
    """An open lead of another team or park that may be the same company as ``lead``
    (``claims``): kept with every write that opens, renames or re-files a lead or moves it
    in or out of ``dropped``, for both leads of the pair, so a lead's page reads its rivals
    instead of comparing it with every open lead of the zone."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), related_name="rival_claims", on_delete=models.CASCADE
    )
    rival = models.ForeignKey(
        Lead, verbose_name=_("rival lead"), related_name="+", on_delete=models.CASCADE
    )
    score = models.FloatField(_("how alike (0–100)"))
    same_uscc = models.BooleanField(_("same USCC"), default=False)
    name = models.CharField(_("the rival's name found alike"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rival claim")
        verbose_name_plural = _("rival claims")
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "rival"],
                name="promotion_rivalclaim_pair",
                violation_error_message=_("This lead already has this rival."),
            )
        ]

    def __str__(self):
        return f"{self.lead_id} ~ {self.rival_id}"


class RivalClaimWrites(models.Model):
    """How many writes have kept rival claims (one row): a form's or a request's check of a
    lead's rivals, made before its save, is kept as it was found when no write came
    between, instead of comparing the lead with every open lead a second time."""

    count = models.PositiveBigIntegerField(_("writes"), default=0)

    class Meta:
        verbose_name = _("rival claim writes")
        verbose_name_plural = _("rival claim writes")

    def __str__(self):
        return str(self.count)


class StageChange(BeaconModel):
    """A lead reaching a stage on a date (which may be earlier than the day it was entered).

    Never edited: a correction is a further change, with its reason.
    """

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), related_name="stage_changes", on_delete=models.CASCADE
    )
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    date = models.DateField(_("date"))
    previous_stage = models.CharField(
        _("previous stage"), max_length=30, choices=Stage.choices, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    moved_by = user_field(_("moved by"))

    scope_paths = {"team": "lead__team", "park": "lead__proposed_park"}

    change_log = Recorded(parent="lead")

    class Meta:
        ordering = ["lead", "date", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            models.Index(fields=["stage", "date"], name="promotion_stage_date"),
            # the figures' first date of each stage per lead, read from the index alone
            models.Index(fields=["lead", "stage", "date"], name="promotion_stage_lead_first"),
        ]

    def __str__(self):
        return f"{self.lead} → {self.get_stage_display()} {self.date}"

    def get_absolute_url(self):
        return self.lead.get_absolute_url()


class LeadDocument(BeaconModel):
    """A file kept with a lead (project proposal, letter of intent, contract), served only
    to users who may see the lead."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), related_name="documents", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="leads/%Y/%m/")
    kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = user_field(_("uploaded by"))

    scope_paths = {"team": "lead__team", "park": "lead__proposed_park"}

    change_log = Recorded(parent="lead")

    class Meta:
        ordering = ["lead", "-created"]
        verbose_name = _("lead document")
        verbose_name_plural = _("lead documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return object_url("promotion:leaddocument", self.pk)


class ParkEntryRule(VersionedMixin, BeaconModel):
    """A park's entry thresholds (入园门槛), a rule file in the evaluation schemes' condition
    language kept as numbered versions; the latest is checked against a lead's project when
    routing it."""

    park = models.OneToOneField(
        Park, verbose_name=_("park"), related_name="entry_rule", on_delete=models.CASCADE
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_paths = {"park": "park"}

    class Meta:
        ordering = ["park"]
        verbose_name = _("park entry rule")
        verbose_name_plural = _("park entry rules")

    def __str__(self):
        return str(self.park)

    def get_absolute_url(self):
        return object_url("promotion:parkentryrule", self.pk)

    @property
    def conditions(self) -> str:
        """The rule file in force: the latest version's text."""
        current = self.current
        return "" if current is None else current.text


class ParkEntryRuleVersion(RuleFileVersion):
    """One saved text of a park's entry rule file; never changed."""

    rule = models.ForeignKey(
        ParkEntryRule,
        verbose_name=_("park entry rule"),
        related_name="versions",
        on_delete=models.CASCADE,
    )

    change_log = Recorded(parent="rule", exclude=("text",))

    class Meta:
        ordering = ["rule", "-number"]
        verbose_name = _("park entry rule version")
        verbose_name_plural = _("park entry rule versions")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "number"],
                name="promotion_parkentryruleversion_number",
                violation_error_message=_("This rule already has a version with this number."),
            )
        ]

    def __str__(self):
        return f"{self.rule} v{self.number}"


class PromotionTarget(BeaconModel):
    """The signed investment a year should bring, for the zone (no team) or for a team."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        related_name="targets",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    signed_investment = models.DecimalField(
        _("signed investment target (yuan)"),
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    scope_paths = {"team": "team"}

    class Meta:
        ordering = ["-year", "team"]
        verbose_name = _("promotion target")
        verbose_name_plural = _("promotion targets")
        # Two partial constraints: SQLite cannot treat NULL teams as equal in one.
        constraints = [
            models.UniqueConstraint(
                fields=["year", "team"],
                condition=Q(team__isnull=False),
                name="promotion_target_year_team",
                violation_error_message=_("This year already has a target for this team."),
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(team__isnull=True),
                name="promotion_target_year_zone",
                violation_error_message=_("This year already has a target for the zone."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.team or _('whole zone')}"

    def get_absolute_url(self):
        return object_url("promotion:promotiontarget", self.pk)
