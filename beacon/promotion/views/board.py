"""The pipeline board: the leads in scope by stage, dragged across to move them."""

from __future__ import annotations

import html
from decimal import Decimal

from django.db.models import Count, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from beacon.core import counts
from beacon.core.links import object_url
from beacon.core.models import display_name
from beacon.core.permissions import can
from beacon.core.views import generic

from .. import filtersets, forms
from ..choices import ORDER, ClaimStatus, Stage
from ..models import Lead, StageChange

BOARD_CARDS = 30  # cards per column; the column's count is always the whole
# What a card shows, and all that is read of its lead: values, not model rows (a board of
# 240 cards made 720 of them).
CARD = (
    "pk",
    "company",
    "project",
    "stage",
    "stage_date",
    "claim",
    "team__name",
    "team__name_en",
    "proposed_park__code",
)


DRAGGABLE = mark_safe(' draggable="true"')  # nosec B308


def escape(text) -> str:
    return html.escape(str(text))


def card(lead: tuple, can_move: bool, flagged: str) -> str:
    """A lead's card on the board, from its ``CARD`` values, its text escaped. Drawn here,
    not by the template engine: the board shows up to 240 cards, and a template's lookups
    for each took half the page's time (a ``format_html`` of each, a sixth). Escaped as
    Django's ``escape`` does, without its check for lazy text on each of 1,200 calls."""
    pk, company, project, stage, stage_date, claim, team, team_en, park = lead
    park = f" · {escape(park)}" if park else ""
    return (
        f'<div class="card card-sm mb-2 board-card" id="lead-{pk}" data-lead="{pk}" '
        f'data-stage="{escape(stage)}"{DRAGGABLE if can_move else ""}>'
        '<div class="card-body p-2">'
        f'<a href="{escape(object_url("promotion:lead", pk))}" class="fw-bold d-block '
        f'text-truncate">{escape(company)}</a>'
        f'<div class="small text-truncate">{escape(project)}</div>'
        f'<div class="small text-secondary">{escape(display_name(team, team_en))}{park} · '
        f"{stage_date.isoformat() if stage_date else ''}</div>"
        f"{flagged if claim == ClaimStatus.FLAGGED else ''}"
        "</div></div>"
    )


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
        # each column's count and planned investment sum every lead of the stage: kept
        totals = {
            stage: (n, investment)
            for stage, n, investment in counts.rows(
                leads.order_by()
                .values_list("stage")
                .annotate(n=Count("*"), investment=Sum("planned_investment"))
            )
        }
        can_move = can(request.user, StageChange, "add") and can(request.user, Lead, "change")
        flagged = format_html('<span class="badge bg-orange-lt">{}</span>', _("Possible duplicate"))
        columns = []
        for code, label in Stage.choices:
            count, investment = totals.get(code, (0, None))
            # a column's latest cards, read in the order of the stage's index
            cards = leads.filter(stage=code).values_list(*CARD).order_by("-stage_date", "-pk")
            drawn = [card(lead, can_move, flagged) for lead in cards[:BOARD_CARDS]] if count else []
            columns.append(
                {
                    "stage": code,
                    "label": label,
                    "count": count,
                    "investment": investment or Decimal(0),
                    # each card escapes its text
                    "cards": mark_safe("".join(drawn)),  # nosec B308 B703
                    "shown": len(drawn),
                }
            )
        context = {
            **self.base_context(),
            "columns": columns,
            "filter_form": filterset.form,
            "can_move": can_move,
            "move_form": forms.MoveForm(),
            "order": ORDER,
            "today": timezone.localdate(),
        }
        return render(request, "promotion/board.html", context)
