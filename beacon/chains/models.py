"""Industrial chains (产业链): chain files and their versions, users' confirmations of which
enterprises belong to a link, and target lists of candidate companies for the gaps."""

from functools import cached_property, lru_cache

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beacon.analytics.chains import Chain as ParsedChain
from beacon.analytics.chains import parse_chain
from beacon.core.links import object_url
from beacon.core.models import BeaconModel, BilingualNameMixin, Recorded, user_field
from beacon.core.validators import USCCField
from beacon.core.versions import RuleFileVersion, VersionedMixin
from beacon.registry.models import Enterprise


class Chain(VersionedMixin, BilingualNameMixin, BeaconModel):
    """An industrial chain, known by its key; its links are the YAML of its latest version."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("industrial chain")
        verbose_name_plural = _("industrial chains")

    def get_absolute_url(self):
        return object_url("chains:chain", self.pk)

    @cached_property
    def parsed(self) -> ParsedChain | None:
        current = self.current
        return None if current is None else parsed_text(current.text)


@lru_cache(maxsize=64)
def parsed_text(text: str) -> ParsedChain:
    """A version's text parsed once per process: versions are never changed, and every
    enterprise saved reads each chain's links."""
    return parse_chain(text)


class ChainVersion(RuleFileVersion):
    """One saved text of a chain; never changed."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), related_name="versions", on_delete=models.CASCADE
    )

    change_log = Recorded(parent="chain", exclude=("text",))

    class Meta:
        ordering = ["chain", "-number"]
        verbose_name = _("chain version")
        verbose_name_plural = _("chain versions")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "number"],
                name="chains_chainversion_number",
                violation_error_message=_("This chain already has a version with this number."),
            )
        ]

    def __str__(self):
        return f"{self.chain} v{self.number}"


class LinkMapping(BeaconModel):
    """A user's word on whether an enterprise belongs to a link, over the class and keyword
    match: ``include`` confirms or adds it, otherwise it is taken out."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), related_name="mappings", on_delete=models.CASCADE
    )
    link = models.CharField(_("link"), max_length=60)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        related_name="link_mappings",
        on_delete=models.CASCADE,
    )
    include = models.BooleanField(_("belongs to the link"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    scope_paths = {"park": "enterprise__park", "enterprise": "enterprise"}

    change_log = Recorded(parent="enterprise")

    class Meta:
        ordering = ["chain", "link", "enterprise"]
        verbose_name = _("link mapping")
        verbose_name_plural = _("link mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "link", "enterprise"],
                name="chains_linkmapping_unique",
                violation_error_message=_("This enterprise is already mapped for this link."),
            )
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.chain} {self.link}"

    def get_absolute_url(self):
        return reverse("chains:link", args=[self.chain_id, self.link])


def money_total(verbose_name):
    return models.DecimalField(verbose_name, max_digits=24, decimal_places=2, default=0)


class LinkMember(models.Model):
    """Kept: an enterprise of the registry in a link of its chain's current version, why
    (its class, the keywords found in its business scope, a user's word), and what it
    brings to the link (whether active, its park, chain-master flag, latest output and
    tax), whatever its status. Rewritten in the transaction of every write that changes
    them (``beacon.chains.membership``), never edited."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), related_name="members", on_delete=models.CASCADE
    )
    link = models.CharField(_("link"), max_length=60)
    segment = models.CharField(_("segment"), max_length=20)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), related_name="+", on_delete=models.CASCADE
    )
    by_class = models.BooleanField(_("by industry class"))
    keywords = models.JSONField(_("keywords found"), default=list)
    override = models.BooleanField(_("added by a user"))
    park = models.ForeignKey(
        "registry.Park", verbose_name=_("park"), related_name="+", on_delete=models.CASCADE
    )
    active = models.BooleanField(_("active"))
    chain_master = models.BooleanField(_("chain master"))
    output = models.DecimalField(
        _("latest industrial output (yuan)"), max_digits=18, decimal_places=2, null=True
    )
    tax = models.DecimalField(_("latest taxes (yuan)"), max_digits=18, decimal_places=2, null=True)

    class Meta:
        ordering = ["chain", "link", "enterprise"]
        verbose_name = _("link member")
        verbose_name_plural = _("link members")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "link", "enterprise"], name="chains_linkmember_unique"
            )
        ]
        # one enterprise's rows, rewritten when it or its figures are saved
        indexes = [models.Index(fields=["enterprise", "chain"], name="chains_member_enterprise")]

    def __str__(self):
        return f"{self.enterprise_id} · {self.chain_id} {self.link}"

    def why(self) -> str:
        """How the enterprise came to be in the link: its class, keywords, or a user's word."""
        reasons = []
        if self.by_class:
            reasons.append(gettext("industry class"))
        if self.keywords:
            reasons.append(gettext("keywords: %(words)s") % {"words": "、".join(self.keywords)})
        if self.override:
            reasons.append(gettext("added by a user"))
        return "; ".join(reasons)


class LinkTotal(models.Model):
    """Kept: a link's active members in one park, counted, with their latest output and
    tax summed; moved by each change of the members (``beacon.chains.membership``)."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), related_name="link_totals", on_delete=models.CASCADE
    )
    link = models.CharField(_("link"), max_length=60)
    park = models.ForeignKey(
        "registry.Park", verbose_name=_("park"), related_name="+", on_delete=models.CASCADE
    )
    enterprises = models.IntegerField(_("enterprises"), default=0)
    chain_masters = models.IntegerField(_("chain masters"), default=0)
    output = money_total(_("output (yuan)"))
    tax = money_total(_("taxes (yuan)"))

    class Meta:
        ordering = ["chain", "link", "park"]
        verbose_name = _("link total")
        verbose_name_plural = _("link totals")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "link", "park"], name="chains_linktotal_unique"
            )
        ]

    def __str__(self):
        return f"{self.chain_id} {self.link} · {self.park_id}"


class SegmentTotal(models.Model):
    """Kept: the latest output of a segment's active members in one park, each enterprise
    once however many of the segment's links it is in."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), related_name="segment_totals", on_delete=models.CASCADE
    )
    segment = models.CharField(_("segment"), max_length=20)
    park = models.ForeignKey(
        "registry.Park", verbose_name=_("park"), related_name="+", on_delete=models.CASCADE
    )
    enterprises = models.IntegerField(_("enterprises"), default=0)
    output = money_total(_("output (yuan)"))

    class Meta:
        ordering = ["chain", "segment", "park"]
        verbose_name = _("segment total")
        verbose_name_plural = _("segment totals")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "segment", "park"], name="chains_segmenttotal_unique"
            )
        ]

    def __str__(self):
        return f"{self.chain_id} {self.segment} · {self.park_id}"


class TargetList(BeaconModel):
    """Candidates ranked for a chain's gaps from a large company file, kept as run."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), related_name="target_lists", on_delete=models.CASCADE
    )
    version = models.ForeignKey(
        ChainVersion, verbose_name=_("chain version"), related_name="+", on_delete=models.PROTECT
    )
    candidates = models.CharField(_("candidate file"), max_length=500)
    parameters = models.JSONField(_("parameters"), default=dict)
    made_by = user_field(_("made by"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("target list")
        verbose_name_plural = _("target lists")

    def __str__(self):
        return f"{self.chain} {self.created:%Y-%m-%d} #{self.pk}"

    def get_absolute_url(self):
        return object_url("chains:targetlist", self.pk)


class Target(BeaconModel):
    """One candidate company for a gap link, with its score and the reasons; once worked, the
    lead it became."""

    target_list = models.ForeignKey(
        TargetList, verbose_name=_("target list"), related_name="targets", on_delete=models.CASCADE
    )
    link = models.CharField(_("link"), max_length=60)
    rank = models.PositiveIntegerField(_("rank"))
    uscc = USCCField(_("Unified Social Credit Code"))
    name = models.CharField(_("name"), max_length=200)
    province = models.CharField(_("province"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    # as the candidate file has it: a company found by keyword may carry any code
    industry_code = models.CharField(_("industry code"), max_length=20, blank=True)
    score = models.FloatField(_("score"))
    reasons = models.CharField(_("reasons"), max_length=500, blank=True)
    lead = models.OneToOneField(
        "promotion.Lead",
        verbose_name=_("lead"),
        related_name="chain_target",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    # a list's frozen output; what changes later, and is logged, is the lead it became
    change_log = Recorded(include=("lead",), frozen=True)

    class Meta:
        ordering = ["target_list", "link", "rank"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        indexes = [models.Index(fields=["target_list", "link", "rank"], name="chains_target_rank")]

    def __str__(self):
        return f"{self.name} ({self.link} #{self.rank})"

    def get_absolute_url(self):
        return self.target_list.get_absolute_url()
