"""Pages of investment promotion: teams and activities, leads with their timeline, claims
and park routing, the pipeline board, and the funnel and cycle-time figures."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

import polars as pl
from django.contrib import messages
from django.db.models import Count, Min, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views import View

from beacon.analytics import pipeline
from beacon.core import gate
from beacon.core.choices import ScopeKind
from beacon.core.downloads import attachment
from beacon.core.permissions import can, restrict, scope_kinds
from beacon.core.views import generic
from beacon.core.views.generic import views_for
from beacon.registry.models import Park

from . import filtersets, forms, tables
from .choices import ORDER, Stage
from .claims import rival_claims
from .documents import DocumentError, attach, remove
from .models import (
    Activity,
    Lead,
    LeadDocument,
    ParkEntryRule,
    PromotionTarget,
    StageChange,
    Team,
)
from .routing import route
from .services import StageError, decide_claim, move

BOARD_CARDS = 30  # cards per column; the column's count is always the whole
ROT_DAYS = 30


def decides_claims(user) -> bool:
    """Claims and park assignments are the zone administration's: zone-wide change on leads."""
    return ScopeKind.ZONE in scope_kinds(user, Lead, "change")


# -- teams and activities ------------------------------------------------------------------


class TeamView(generic.ObjectView):
    model = Team

    def get_extra_context(self, team):
        user = self.request.user
        leads = restrict(team.leads.all(), user)
        by_stage = dict(leads.values_list("stage").annotate(n=Count("pk")))
        return {
            "members": team.members,
            "stages": [(label, by_stage.get(code, 0)) for code, label in Stage.choices],
            "activities": restrict(team.activities.all(), user)[:10],
        }


class ActivityCalendarView(generic.ObjectPermissionMixin, View):
    """A month of activities (``?month=2024-03``, default this month; ``?team=`` narrows)."""

    model = Activity

    def get(self, request):
        self.require("view")
        today = timezone.localdate()
        try:
            first = dt.date.fromisoformat(f"{request.GET.get('month', '')}-01")
        except ValueError:
            first = today.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        activities = (
            self.restricted().filter(date__gte=first, date__lte=last).select_related("team")
        )
        team = request.GET.get("team")
        if team:
            activities = activities.filter(team__code=team)
        by_day: dict[dt.date, list] = {}
        for activity in activities.order_by("date", "pk"):
            by_day.setdefault(activity.date, []).append(activity)
        weeks = [
            [(day, by_day.get(day, []), day.month == first.month) for day in week]
            for week in calendar.Calendar().monthdatescalendar(first.year, first.month)
        ]
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
        context = {
            **self.base_context(),
            "weeks": weeks,
            "month": first,
            "today": today,
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "team": team or "",
            "teams": restrict(Team.objects.all(), request.user),
            "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
        }
        return render(request, "promotion/calendar.html", context)


# -- leads ---------------------------------------------------------------------------------


class LeadView(generic.ObjectView):
    model = Lead

    def get_extra_context(self, lead):
        user = self.request.user
        changes = lead.stage_changes.select_related("moved_by").order_by("date", "pk")
        activities = restrict(lead.activities.all(), user)
        timeline = sorted(
            [("stage", c.date, c) for c in changes] + [("activity", a.date, a) for a in activities],
            key=lambda item: (item[1], item[0] == "stage"),
        )
        can_move = (
            can(user, StageChange, "add")
            and restrict(Lead.objects.filter(pk=lead.pk), user, "change").exists()
        )
        decides = decides_claims(user)
        # reached as the figures count it: any dated stage at or after this one
        furthest = max((ORDER.index(c.stage) for c in changes if c.stage in ORDER), default=-1)
        claims = rival_claims(lead) if lead.is_open else []
        return {
            "timeline": timeline,
            "move_form": forms.MoveForm(initial={"stage": next_stage(lead.stage)}),
            "can_move": can_move,
            "claims": claims,
            # a rival outside the user's scope is named, not linked: the zone decides
            "visible_rivals": set(
                restrict(Lead.objects.filter(pk__in=[c.lead.pk for c in claims]), user).values_list(
                    "pk", flat=True
                )
            ),
            "decides": decides,
            "routing": route(lead) if decides or can_move else [],
            "documents": restrict(lead.documents.all(), user),
            "can_attach": can_move and can(user, LeadDocument, "add"),
            "can_delete_documents": can(user, LeadDocument, "delete"),
            "progress": [
                (Stage(code).label, i <= furthest, code == lead.stage)
                for i, code in enumerate(ORDER)
            ],
        }


def next_stage(stage: str) -> str:
    if stage in ORDER and stage != ORDER[-1]:
        return ORDER[ORDER.index(stage) + 1]
    return stage


class LeadActionView(generic.ObjectPermissionMixin, View):
    """A POST on one lead the user may change; subclasses say what it does."""

    model = Lead

    def lead(self, pk) -> Lead:
        return get_object_or_404(self.restricted("change"), pk=pk)


class LeadMoveView(LeadActionView):
    """Move a lead to a stage as of a date. The board posts here and reads the JSON answer."""

    def post(self, request, pk):
        lead = self.lead(pk)
        if not can(request.user, StageChange, "add"):
            raise Http404
        form = forms.MoveForm(request.POST)
        wants_json = request.headers.get("Accept", "").startswith("application/json")
        if form.is_valid():
            try:
                move(
                    lead,
                    form.cleaned_data["stage"],
                    form.cleaned_data["date"],
                    request.user,
                    form.cleaned_data["reason"],
                )
            except StageError as e:
                form.add_error(None, str(e))
        if form.errors:
            problems = [str(m) for errors in form.errors.values() for m in errors]
            if wants_json:
                return JsonResponse({"errors": problems}, status=400)
            for problem in problems:
                messages.error(request, problem)
            return redirect(lead.get_absolute_url())
        if wants_json:
            return JsonResponse({"stage": lead.stage, "date": lead.stage_date.isoformat()})
        messages.success(
            request,
            _("%(lead)s moved to %(stage)s.") % {"lead": lead, "stage": lead.get_stage_display()},
        )
        return redirect(lead.get_absolute_url())


class DocumentUploadView(LeadActionView):
    def post(self, request, pk):
        lead = self.lead(pk)
        if not can(request.user, LeadDocument, "add"):
            raise Http404
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file to upload."))
            return redirect(lead.get_absolute_url())
        try:
            document = attach(lead, upload, request.POST.get("title", ""), request.user)
        except DocumentError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("Kept %(document)s.") % {"document": document})
        return redirect(lead.get_absolute_url())


class DocumentView(generic.ObjectPermissionMixin, View):
    """A lead's file, to those who may see the lead's documents."""

    model = LeadDocument

    def get(self, request, pk):
        document = get_object_or_404(self.restricted("view"), pk=pk)
        return attachment(document.file.open("rb"), f"{document.title}.{document.kind}")

    def post(self, request, pk):
        """Delete it."""
        document = get_object_or_404(self.restricted("delete"), pk=pk)
        lead = document.lead
        remove(document, request.user)
        messages.success(request, _("Deleted %(object)s.") % {"object": document})
        return redirect(lead.get_absolute_url())


class ClaimDecideView(LeadActionView):
    """The zone administration decides which of two leads keeps the company."""

    def post(self, request, pk):
        if not decides_claims(request.user):
            raise Http404
        lead = self.lead(pk)
        other = get_object_or_404(self.restricted("change"), pk=request.POST.get("other", 0))
        keep, drop = (lead, other) if request.POST.get("keep") == "this" else (other, lead)
        decide_claim(keep, drop, request.user)
        messages.success(
            request,
            _("Team %(team)s keeps %(company)s; lead %(other)s is dropped as its duplicate.")
            % {"team": keep.team, "company": keep.company, "other": drop.pk},
        )
        return redirect(lead.get_absolute_url())


class AssignParkView(LeadActionView):
    def post(self, request, pk):
        if not decides_claims(request.user):
            raise Http404
        lead = self.lead(pk)
        lead.proposed_park = get_object_or_404(Park, code=request.POST.get("park", ""))
        gate.save(request.user, lead)
        messages.success(
            request,
            _("%(lead)s is proposed for %(park)s.") % {"lead": lead, "park": lead.proposed_park},
        )
        return redirect(lead.get_absolute_url())


class BoardView(generic.ObjectPermissionMixin, View):
    """The leads in scope by stage, filtered as the lead list is; cards are dragged across."""

    model = Lead

    def get(self, request):
        self.require("view")
        filterset = filtersets.LeadFilterSet(
            request.GET or None, queryset=self.restricted(), request=request
        )
        leads = (
            filterset.qs if not filterset.is_bound or filterset.is_valid() else Lead.objects.none()
        )
        counts = dict(leads.order_by().values_list("stage").annotate(n=Count("pk")))
        sums = dict(leads.order_by().values_list("stage").annotate(s=Sum("planned_investment")))
        columns = []
        for code, label in Stage.choices:
            cards = leads.filter(stage=code).select_related("team", "proposed_park")
            columns.append(
                {
                    "stage": code,
                    "label": label,
                    "count": counts.get(code, 0),
                    "investment": sums.get(code) or Decimal(0),
                    "cards": list(cards.order_by("-stage_date", "-pk")[:BOARD_CARDS]),
                }
            )
        context = {
            **self.base_context(),
            "columns": columns,
            "filter_form": filterset.form,
            "can_move": can(request.user, StageChange, "add") and can(request.user, Lead, "change"),
            "move_form": forms.MoveForm(),
            "order": ORDER,
            "today": timezone.localdate(),
        }
        return render(request, "promotion/board.html", context)


# -- figures -------------------------------------------------------------------------------

GROUPS = {
    "team": ("team__code", _("Team")),
    "park": ("proposed_park__code", _("Park")),
    "industry": ("industry__code", _("Industry class")),
    "source": ("source", _("Source")),
}


def history_frames(leads) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The stage history and the leads table of ``leads``, in the batch CLI's columns."""
    changes = StageChange.objects.filter(lead__in=leads).order_by()
    rows = list(changes.values_list("lead_id", "stage", "date"))
    history = pl.DataFrame(
        {
            "lead_id": [str(r[0]) for r in rows],
            "stage": [r[1] for r in rows],
            "date": [r[2] for r in rows],
        },
        schema={"lead_id": pl.String, "stage": pl.String, "date": pl.Date},
    )
    fields = [path for path, _label in GROUPS.values()]
    table = list(leads.order_by().values_list("pk", *fields))
    columns = {"lead_id": [str(r[0]) for r in table]}
    for i, name in enumerate(GROUPS, start=1):
        columns[name] = [r[i] for r in table]
    return history, pl.DataFrame(columns, schema={k: pl.String for k in columns})


class FiguresView(generic.ObjectPermissionMixin, View):
    """Funnel, conversion and cycle times (the batch CLI's figures, over the leads in
    scope), signed investment against the year's target, and leads left too long in a
    stage."""

    model = Lead

    def get(self, request):
        self.require("view")
        leads = self.restricted()
        by = request.GET.get("by") if request.GET.get("by") in GROUPS else None
        problems = []
        try:
            start = pipeline.parse_day(request.GET["from"]) if request.GET.get("from") else None
            end = pipeline.parse_day(request.GET["to"]) if request.GET.get("to") else None
        except ValueError:
            start = end = None
            problems.append(_("Dates are written YYYY-MM-DD."))
        try:
            rot_days = max(1, int(request.GET.get("rot_days") or ROT_DAYS))
        except ValueError:
            rot_days = ROT_DAYS
            problems.append(_("Days in a stage is a whole number."))
        # any two stages of the order, besides the command line's pairs
        pair = (request.GET.get("pair_from"), request.GET.get("pair_to"))
        pairs = pipeline.PAIRS
        if all(stage in ORDER for stage in pair) and pair[0] != pair[1]:
            pairs = tuple(dict.fromkeys((*pipeline.PAIRS, pair)))
        history, table = history_frames(leads)
        try:
            figures = pipeline.metrics(history, table, by, start, end, pairs)
        except pipeline.PipelineError as e:
            problems.append(str(e))
            figures = pipeline.metrics(history.clear(), table.clear(), by, pairs=pairs)
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        labels = dict(Stage.choices)
        rates = {(c["from"], c["to"]): c["rate"] for c in figures["conversion"]}
        cycle_rows = [
            {
                **row,
                "from": labels[row["from"]],
                "to": labels[row["to"]],
                "rate": None
                if rates.get((row["from"], row["to"])) is None
                else 100 * rates[(row["from"], row["to"])],
            }
            for row in figures["cycle_days"]
        ]
        group_rows = [
            {
                "group": group["group"],
                "leads": group["leads"],
                "reached": [group["reached"][s] for s in ORDER],
                "signed_days": next(
                    c["median"]
                    for c in group["cycle_days"]
                    if (c["from"], c["to"]) == (Stage.LEAD, Stage.SIGNED)
                ),
            }
            for group in figures.get("groups", [])
        ]
        context = {
            **self.base_context(),
            "figures": figures,
            "by": by,
            "group_label": GROUPS[by][1] if by else "",
            "groups": GROUPS,
            "params": {
                "from": request.GET.get("from", ""),
                "to": request.GET.get("to", ""),
                "rot_days": rot_days,
                "year": year,
                "pair_from": pair[0] or "",
                "pair_to": pair[1] or "",
            },
            "stages": [(code, Stage(code).label) for code in ORDER],
            "problems": problems,
            "cycle_rows": cycle_rows,
            "group_rows": group_rows,
            "target": signed_against_target(leads, year, request.user),
            "stuck": stuck_leads(leads, rot_days),
            "rot_days": rot_days,
            "chart": {
                "stages": [str(Stage(s).label) for s in ORDER],
                "reached": [figures["reached"][s] for s in ORDER],
                "label": _("Leads that reached the stage"),
            },
        }
        return render(request, "promotion/figures.html", context)


def signed_against_target(leads, year: int, user) -> dict:
    """Planned investment of the leads first signed in ``year`` against the year's targets
    the user can see (the zone's, or their teams')."""
    firsts = (
        StageChange.objects.filter(lead__in=leads, stage=Stage.SIGNED)
        .values("lead_id")
        .annotate(first=Min("date"))
    )
    in_year = [row["lead_id"] for row in firsts if row["first"].year == year]
    total = Lead.objects.filter(pk__in=in_year).aggregate(s=Sum("planned_investment"))["s"] or 0
    targets = restrict(PromotionTarget.objects.filter(year=year), user)
    zone = targets.filter(team__isnull=True).first()
    target = zone.signed_investment if zone else targets.aggregate(s=Sum("signed_investment"))["s"]
    return {
        "year": year,
        "signed": total,
        "projects": len(in_year),
        "target": target,
        "share": round(100 * float(total) / float(target), 1) if target else None,
    }


def stuck_leads(leads, days: int) -> list[tuple[Team, list[Lead]]]:
    """Open leads, not yet in production, in the same stage for more than ``days`` days,
    per team, longest first."""
    cutoff = timezone.localdate() - dt.timedelta(days=days)
    stuck = (
        leads.exclude(stage__in=[Stage.DROPPED, Stage.IN_PRODUCTION])
        .filter(stage_date__lt=cutoff)
        .select_related("team")
        .order_by("team__code", "stage_date")
    )
    out: dict[int, tuple[Team, list[Lead]]] = {}
    for lead in stuck[:2000]:
        out.setdefault(lead.team_id, (lead.team, []))[1].append(lead)
    return list(out.values())


TEAM = views_for(Team, filtersets.TeamFilterSet, tables.TeamTable, forms.TeamForm, detail=TeamView)
ACTIVITY = views_for(
    Activity,
    filtersets.ActivityFilterSet,
    tables.ActivityTable,
    forms.ActivityForm,
    related=("team",),
)
LEAD = views_for(
    Lead,
    filtersets.LeadFilterSet,
    tables.LeadTable,
    forms.LeadForm,
    related=("team", "proposed_park"),
    detail=LeadView,
)
# A stage change is made by moving a lead; the history is read and imported, never edited.
STAGE_CHANGE = views_for(
    StageChange,
    filtersets.StageChangeFilterSet,
    tables.StageChangeTable,
    related=("lead", "moved_by"),
    pages=("list", "import", "template"),
)
# A park's entry thresholds are a rule file, kept as versions like schemes and chains.
PARK_ENTRY_RULE = views_for(
    ParkEntryRule,
    filtersets.ParkEntryRuleFilterSet,
    tables.ParkEntryRuleTable,
    forms.ParkEntryRuleForm,
    related=("park",),
    pages=("list", "add", "detail", "edit", "delete", "history", "download"),
)
PROMOTION_TARGET = views_for(
    PromotionTarget,
    filtersets.PromotionTargetFilterSet,
    tables.PromotionTargetTable,
    forms.PromotionTargetForm,
    related=("team",),
)
