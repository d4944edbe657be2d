"""A lead's page and what is done on it: moves, claims, the park, its documents; the
stage history and the parks' entry rules."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from beacon.core.choices import ScopeKind
from beacon.core.downloads import attachment
from beacon.core.permissions import can, restrict, scope_kinds
from beacon.core.views import generic
from beacon.core.views.generic import views_for
from beacon.registry.models import Park

from .. import filtersets, forms, tables
from ..choices import ORDER, Stage
from ..claims import kept_claims
from ..documents import DocumentError, attach, remove
from ..models import Lead, LeadDocument, ParkEntryRule, StageChange
from ..routing import route
from ..services import StageError, decide_claim, move, propose_park


def decides_claims(user) -> bool:
    """Claims and park assignments are the zone administration's: zone-wide change on leads."""
    return ScopeKind.ZONE in scope_kinds(user, Lead, "change")


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
        claims = kept_claims(lead)
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
        propose_park(lead, get_object_or_404(Park, code=request.POST.get("park", "")), request.user)
        messages.success(
            request,
            _("%(lead)s is proposed for %(park)s.") % {"lead": lead, "park": lead.proposed_park},
        )
        return redirect(lead.get_absolute_url())


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
