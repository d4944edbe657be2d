"""The pipeline board: the leads in scope by stage, dragged across to move them."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from beacon.core.permissions import can
from beacon.core.views import generic

from .. import filtersets, forms
from ..choices import ORDER, Stage
from ..models import Lead, StageChange

BOARD_CARDS = 30  # cards per column; the column's count is always the whole


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
        totals = {
            stage: (n, investment)
            for stage, n, investment in leads.order_by()
            .values_list("stage")
            .annotate(n=Count("*"), investment=Sum("planned_investment"))
        }
        columns = []
        for code, label in Stage.choices:
            count, investment = totals.get(code, (0, None))
            # a column's latest cards, read in the order of the stage's index
            cards = leads.filter(stage=code).select_related("team", "proposed_park")
            columns.append(
                {
                    "stage": code,
                    "label": label,
                    "count": count,
                    "investment": investment or Decimal(0),
                    "cards": list(cards.order_by("-stage_date", "-pk")[:BOARD_CARDS])
                    if count
                    else [],
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
