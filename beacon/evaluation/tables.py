import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from beacon.core.tables import NUMERIC, BaseTable, version_column

from .models import AnnualFlag, EvaluationResult, EvaluationRun, Scheme


class SchemeTable(BaseTable):
    code = tables.Column(linkify=True)
    version = version_column()

    class Meta(BaseTable.Meta):
        model = Scheme
        fields = ("code", "name", "version", "updated")


class EvaluationRunTable(BaseTable):
    id = tables.Column(verbose_name=_("run"), linkify=True)
    scheme = tables.Column(linkify=True)
    version = tables.Column(accessor="version__number")
    official = tables.BooleanColumn()
    rated = tables.Column(attrs=NUMERIC)
    enterprises = tables.Column(attrs=NUMERIC)
    created = tables.DateTimeColumn(verbose_name=_("run at"), format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = EvaluationRun
        fields = ("id", "year", "scheme", "version", "official", "rated", "enterprises", "created")


class EvaluationResultTable(BaseTable):
    enterprise = tables.Column(linkify=lambda record: record.get_absolute_url())
    park = tables.Column()
    run = tables.Column(linkify=True)
    rank = tables.Column(attrs=NUMERIC)
    score = tables.Column(attrs=NUMERIC)
    final_class = tables.Column(verbose_name=pgettext_lazy("evaluation", "class"))
    rated = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = EvaluationResult
        fields = (
            "rank",
            "enterprise",
            "park",
            "score",
            "final_class",
            "rated",
            "not_rated_reason",
            "run",
        )

    def render_score(self, value):
        return f"{value:.2f}"

    def render_final_class(self, value, record):
        if record.class_changed:
            # a class moved by hand shows what the scheme gave
            return format_html(
                "{} <span class='text-secondary'>({})</span>", value, record.evaluated_class or "–"
            )
        return value


class AnnualFlagTable(BaseTable):
    year = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = AnnualFlag
        fields = ("year", "enterprise", "flag", "source")
