"""Chain maps computed from the live registry, a link's enterprises with users' overrides,
chain masters' missing suppliers, and target lists for the gaps that become leads."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from beacon.core import gate
from beacon.core.permissions import can, restrict
from beacon.core.versions import VersionedObjectView
from beacon.core.views import generic
from beacon.core.views.generic import views_for
from beacon.promotion.choices import ORDER, Stage
from beacon.promotion.models import Lead, Team
from beacon.registry.models import Enterprise

from . import filtersets, forms, services, tables
from .jobs import queue_target_list
from .models import Chain, LinkMapping, Target, TargetList

STATUS_COLOURS = {"strong": "#2fb344", "weak": "#f59f00", "missing": "#d63939"}
STATUS_LABELS = {
    "strong": gettext_lazy("strong"),
    "weak": gettext_lazy("weak"),
    "missing": gettext_lazy("missing"),
}
SEGMENT_LABELS = {
    "upstream": gettext_lazy("upstream"),
    "midstream": gettext_lazy("midstream"),
    "downstream": gettext_lazy("downstream"),
}
SEGMENTS = ("upstream", "midstream", "downstream")
SUPPLIERS_SHOWN = 20
MEMBERS_PER_PAGE = 50


def label(name: dict) -> str:
    if get_language() == "en":
        return name.get("en") or name.get("zh") or ""
    return name.get("zh") or name.get("en") or ""


def link_table(chain: Chain, coverage: dict) -> list[dict]:
    """One row per link in chain order, with its name, segment and coverage figures."""
    by_key = {row["key"]: row for row in coverage["links"]}
    return [
        {
            **by_key[link.key],
            "name": label(link.name),
            "segment": link.segment,
            "segment_label": SEGMENT_LABELS.get(link.segment, link.segment),
            "status_label": STATUS_LABELS[by_key[link.key]["status"]],
            "supplies": list(link.supplies),
            "url": reverse("chains:link", args=[chain.pk, link.key]),
        }
        for link in chain.parsed.links
    ]


def graph(rows: list[dict]) -> dict:
    """ECharts graph: links in columns by segment, edges along ``supplies``, coloured by
    status."""
    per_segment: dict[str, int] = {}
    nodes = []
    for row in rows:
        column = SEGMENTS.index(row["segment"]) if row["segment"] in SEGMENTS else 1
        place = per_segment.get(row["segment"], 0)
        per_segment[row["segment"]] = place + 1
        nodes.append(
            {
                "id": row["key"],
                "name": row["name"],
                "x": column * 320,
                "y": place * 70,
                "value": row["enterprises"],
                "url": row["url"],
                "itemStyle": {"color": STATUS_COLOURS.get(row["status"], "#999")},
                "label": {"show": True},
                "symbolSize": 18 + min(row["enterprises"], 30),
            }
        )
    edges = [{"source": row["key"], "target": to} for row in rows for to in row["supplies"]]
    return {"nodes": nodes, "edges": edges}


class ChainView(VersionedObjectView):
    model = Chain

    def get_extra_context(self, chain):
        user = self.request.user
        if chain.parsed is None:
            return {"rows": []}
        coverage = services.coverage(chain, user)
        rows = link_table(chain, coverage)
        target_lists = restrict(chain.target_lists.all(), user)
        return {
            "rows": rows,
            "coverage": coverage,
            "gaps": [row for row in rows if row["status"] != "strong"],
            "graph": graph(rows),
            "legend": [(s, colour, STATUS_LABELS[s]) for s, colour in STATUS_COLOURS.items()],
            "coverage_percent": 100 * coverage["coverage"],
            "segments": [
                (SEGMENT_LABELS[segment], output)
                for segment, output in coverage["output_by_segment"].items()
            ],
            **super().get_extra_context(chain),
            "target_lists": target_lists[:10],
            "can_target": can(user, TargetList, "add"),
        }


class LinkView(generic.ObjectPermissionMixin, View):
    """A link's local enterprises (by class, keyword or a user's word), the users' overrides,
    and the gap's targets and what became of them."""

    model = Chain

    def link(self, pk, key):
        """The chain and its link ``key``; 404 when either is not there (a chain with no
        saved version has no links)."""
        chain = get_object_or_404(self.restricted("view"), pk=pk)
        parsed = chain.parsed
        link = next((link for link in parsed.links if link.key == key), None) if parsed else None
        if link is None:
            raise Http404
        return chain, link

    def get(self, request, pk, key):
        chain, link = self.link(pk, key)
        user = request.user
        row = next(r for r in services.coverage(chain, user)["links"] if r["key"] == key)
        # in the order they were filed, which the kept rows' index reads a page at a time
        members = Paginator(
            Counted(
                services.members(chain, user)
                .filter(link=key)
                .select_related("enterprise")
                .order_by("enterprise_id"),
                row["enterprises"],
            ),
            MEMBERS_PER_PAGE,
        ).get_page(request.GET.get("page"))
        targets = (
            Target.objects.filter(target_list__chain=chain, link=key)
            .select_related("lead", "lead__enterprise", "target_list")
            .order_by("-target_list__created", "rank")[:100]
            if can(user, Target, "view")
            else []
        )
        context = {
            **self.base_context(),
            "object": chain,
            "link": link,
            "link_name": label(link.name),
            "row": row,
            "members": members,
            "mappings": restrict(chain.mappings.filter(link=key), user).select_related(
                "enterprise"
            ),
            "can_map": can(user, LinkMapping, "add"),
            "map_form": forms.LinkMappingForm(),
            "targets": targets,
            "target_progress": target_progress(targets),
        }
        return render(request, "chains/link.html", context)

    def post(self, request, pk, key):
        """A user's word on an enterprise and this link (recorded)."""
        chain, _link = self.link(pk, key)
        if not can(request.user, LinkMapping, "add"):
            raise Http404
        form = forms.LinkMappingForm(request.POST)
        form.fields["enterprise"].queryset = restrict(
            Enterprise.objects.all(), request.user, "view"
        )
        if form.is_valid():
            mapping = LinkMapping.objects.filter(
                chain=chain, link=key, enterprise=form.cleaned_data["enterprise"]
            ).first() or LinkMapping(
                chain=chain, link=key, enterprise=form.cleaned_data["enterprise"]
            )
            mapping.include = form.cleaned_data["include"] == "yes"
            mapping.reason = form.cleaned_data["reason"]
            gate.save(request.user, mapping)
            messages.success(
                request, _("Recorded for %(enterprise)s.") % {"enterprise": mapping.enterprise}
            )
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect("chains:link", pk=chain.pk, key=key)


class Counted:
    """Rows whose number is known already (a kept total): paging them counts nothing."""

    def __init__(self, rows, count: int):
        self.rows, self.number = rows, count

    def count(self) -> int:
        return self.number

    def __len__(self) -> int:
        return self.number

    def __getitem__(self, index):
        return self.rows[index]


def target_progress(targets) -> dict:
    """How far a gap's targets have gone: leads, signed projects, enterprises."""
    signed = set(ORDER[ORDER.index(Stage.SIGNED) :])
    leads = [t.lead for t in targets if t.lead_id]
    return {
        "targets": len(targets),
        "leads": len(leads),
        "signed": sum(1 for lead in leads if lead.stage in signed),
        "enterprises": sum(1 for lead in leads if lead.enterprise_id),
    }


def chain_master_panel(enterprise, user):
    """For a chain master: its local suppliers and the links its suppliers are missing."""
    if not enterprise.chain_master or not can(user, Chain, "view"):
        return None
    chains = []
    for chain in restrict(Chain.objects.all(), user):
        if chain.parsed is None:
            continue
        scoped = services.members(chain, user)
        own = set(scoped.filter(enterprise=enterprise).values_list("link", flat=True))
        if not own:
            continue
        links = {link.key: link for link in chain.parsed.links}
        coverage = services.coverage(chain, user)
        status = {row["key"]: row["status"] for row in coverage["links"]}
        supplying = {link.key for link in chain.parsed.links if own & set(link.supplies)}
        suppliers = (
            restrict(Enterprise.objects.all(), user)
            .filter(pk__in=scoped.filter(link__in=supplying).values("enterprise"))
            .exclude(pk=enterprise.pk)
            .order_by("name")
        )
        chains.append(
            {
                "chain": chain,
                "own": [label(links[key].name) for key in sorted(own)],
                "supplier_count": suppliers.count(),
                "suppliers": list(suppliers[:SUPPLIERS_SHOWN]),
                "missing": [
                    {
                        "name": label(links[key].name),
                        "status": STATUS_LABELS[status[key]],
                        "url": reverse("chains:link", args=[chain.pk, key]),
                    }
                    for key in links
                    if key in supplying and status[key] != "strong"
                ],
            }
        )
    if not chains:
        return None
    return "chains/chain_master_panel.html", {"chains": chains}


class TargetListCreateView(generic.ObjectPermissionMixin, View):
    """Rank a candidate file in the data folder for a chain's gaps: a background job, whose
    page the user is sent to."""

    model = TargetList

    def form(self, data=None):
        form = forms.TargetListForm(data, files=services.candidate_files())
        form.fields["chain"].queryset = restrict(Chain.objects.all(), self.request.user)
        form.initial["chain"] = self.request.GET.get("chain")
        return form

    def get(self, request):
        self.require("add")
        return render(
            request, "chains/targetlist_add.html", {**self.base_context(), "form": self.form()}
        )

    def post(self, request):
        self.require("add")
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            job = queue_target_list(
                request.user,
                data["chain"],
                data["candidates"],
                top=data["top"],
                exclude_provinces=data["exclude_provinces"],
                home_province=data["home_province"] or None,
                home_city=data["home_city"] or None,
            )
            messages.success(request, _("The list is queued; this page shows how it goes."))
            return redirect(job.get_absolute_url())
        context = {**self.base_context(), "form": form}
        return render(request, "chains/targetlist_add.html", context, status=400)


class TargetListView(generic.ObjectView):
    model = TargetList

    def get_extra_context(self, target_list):
        user = self.request.user
        chain = target_list.chain
        names = {link.key: label(link.name) for link in chain.parsed.links}
        targets = target_list.targets.select_related("lead").order_by("link", "rank")
        groups: dict[str, list] = {}
        for target in targets:
            groups.setdefault(target.link, []).append(target)
        return {
            "groups": [(key, names.get(key, key), groups[key]) for key in names if key in groups],
            "teams": lead_teams(user),
            "can_lead": can(user, Lead, "add"),
        }


def lead_teams(user):
    """The teams ``user`` may open leads for."""
    return gate.field_access(user, Lead, "add").choices("team", Team.objects.all())


class ToPipelineView(generic.ObjectPermissionMixin, View):
    """The chosen targets become leads of a team, source "chain gap"."""

    model = TargetList

    def post(self, request, pk):
        target_list = get_object_or_404(self.restricted("view"), pk=pk)
        if not can(request.user, Lead, "add"):
            raise Http404
        team = get_object_or_404(lead_teams(request.user), code=request.POST.get("team", ""))
        ids = [int(i) for i in request.POST.getlist("target") if i.isdigit()]
        targets = list(target_list.targets.filter(pk__in=ids).select_related("target_list__chain"))
        leads = services.to_pipeline(targets, team, request.user)
        messages.success(
            request, _("%(n)s leads made for %(team)s.") % {"n": len(leads), "team": team}
        )
        return redirect(target_list.get_absolute_url())


CHAIN = views_for(
    Chain,
    filtersets.ChainFilterSet,
    tables.ChainTable,
    forms.ChainForm,
    pages=("list", "add", "detail", "edit", "delete", "history", "download"),
    detail=ChainView,
)
TARGET_LIST = views_for(
    TargetList,
    filtersets.TargetListFilterSet,
    tables.TargetListTable,
    related=("chain",),
    pages=("list", "add", "detail", "delete", "history"),
    add=TargetListCreateView,
    detail=TargetListView,
)
