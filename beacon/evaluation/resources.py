"""The evaluation's import/export tables. Column names are public: scripts rely on them."""

from beacon.core.resources import ENTERPRISE_YEAR, Column, Resource, register

from .models import AnnualFlag, EvaluationResult, EvaluationRun


@register
class AnnualFlagResource(Resource):
    kind = "facts"
    model = AnnualFlag
    key = ("uscc", "year", "flag")
    select_related = ("enterprise",)
    columns = (
        *ENTERPRISE_YEAR,
        Column("flag", ("事项", "类型"), kind="choice", required=True, example="safety_incident"),
        Column("source", ("来源", "来源部门"), example="应急管理局"),
        Column("note", ("说明", "备注"), example=""),
    )


@register
class EvaluationRunResource(Resource):
    kind = "evaluation-runs"
    model = EvaluationRun
    importable = False
    key = ("id",)
    columns = (
        Column("id"),
        Column("scheme", kind="fk", lookup="code"),
        Column("version", kind="fk", lookup="number"),
        Column("year"),
        Column("official"),
        Column("enterprises"),
        Column("rated"),
        Column("created"),
        Column("note"),
    )


@register
class EvaluationResultResource(Resource):
    """A run's results as the batch CLI writes them (``class`` is the class after any change),
    without the indicator columns, which differ by scheme: a run's page exports those."""

    kind = "evaluation-results"
    model = EvaluationResult
    importable = False
    key = ("run", "uscc")
    columns = (
        Column("run", kind="fk", lookup="pk"),
        Column("year", kind="fk", attr="run", lookup="year"),
        Column("scheme", kind="fk", attr="run", lookup="scheme__code"),
        Column("uscc", kind="fk", attr="enterprise", lookup="uscc"),
        Column("name", kind="fk", attr="enterprise", lookup="name"),
        Column("park", kind="fk", lookup="code"),
        Column("rated"),
        Column("not_rated_reason"),
        Column("score"),
        Column("class", attr="final_class"),
        Column("rank"),
        Column("adjustment_points"),
        Column("veto_reason"),
        Column("evaluated_class"),
        Column("class_change_reason"),
    )
