"""Teams, their activities (with a month calendar) and their yearly targets."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.views import View

from beacon.core.permissions import restrict
from beacon.core.views import generic
from beacon.core.views.generic import views_for

from .. import filtersets, forms, tables
from ..choices import Stage
from ..models import Activity, PromotionTarget, Team


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


TEAM = views_for(Team, filtersets.TeamFilterSet, tables.TeamTable, forms.TeamForm, detail=TeamView)
ACTIVITY = views_for(
    Activity,
    filtersets.ActivityFilterSet,
    tables.ActivityTable,
    forms.ActivityForm,
    related=("team",),
)
# Targets are set a few a year, in the application: no import.
PROMOTION_TARGET = views_for(
    PromotionTarget,
    filtersets.PromotionTargetFilterSet,
    tables.PromotionTargetTable,
    forms.PromotionTargetForm,
    related=("team",),
    pages=("list", "add", "detail", "edit", "delete", "history"),
)
