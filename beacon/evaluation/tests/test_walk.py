"""Every evaluation page and API endpoint, for every role (see beacon.core.testing): schemes,
runs, results and annual facts hold the scope in lists, search, filters, exports, details,
histories, forms and the API, and every change is logged."""

import pytest

from beacon.conftest import ROLES
from beacon.core.testing import ALL, CHOICE_ERROR, E1, P1, EndpointCases, ModelViewCases
from beacon.evaluation.models import AnnualFlag, EvaluationResult, EvaluationRun, Scheme
from beacon.evaluation.services import mark_official, run_evaluation

from .conftest import SCHEME, hand_zone, make_scheme
from .expected import EXPECTED


class Evaluation:
    """The station's records on the conftest zone: the hand-scored 2023 figures, the test
    scheme, its official 2023 run and a draft rerun, and an environmental violation recorded
    for each enterprise in 2023 (after the runs, which it would veto)."""

    @classmethod
    def populate(cls, zone, users):
        hand_zone(zone)
        scheme = make_scheme()
        official = run_evaluation(scheme, 2023, users["zone_admin"])
        mark_official(official)
        draft = run_evaluation(scheme, 2023, users["zone_admin"], note="复核")
        enterprises = zone["p1_enterprises"] + zone["p2_enterprises"]
        zone["scheme"], zone["runs"] = scheme, [official, draft]
        zone["flags"] = [
            AnnualFlag.objects.create(enterprise=e, year=2023, flag="env_violation")
            for e in enterprises
        ]


def results(zone, enterprises, runs=None) -> list[EvaluationResult]:
    """The runs' results (both runs' by default) for ``enterprises``, run by run."""
    return list(
        EvaluationResult.objects.filter(
            run__in=runs or zone["runs"], enterprise__in=enterprises
        ).order_by("run", "enterprise")
    )


# -- schemes -------------------------------------------------------------------------------


class Schemes(Evaluation):
    model = Scheme
    expected = EXPECTED["scheme"]
    change = ("name", "规上工业企业评价方案")

    def reach(self, zone, scope):
        return {ALL: [zone["scheme"]]}[scope]

    def spare(self, zone, at):
        return make_scheme(code="spare")


class TestSchemeViews(Schemes, ModelViewCases):
    pages = ("list", "add", "detail", "edit", "delete", "history", "download")

    def queries(self, zone):
        return [({"search": "测试"}, [zone["scheme"]]), ({"search": "规上"}, [])]

    def form_data(self, zone, at):
        return {"code": "above", "name": "规上企业", "text": SCHEME, "comment": "first"}


class TestSchemeApi(Schemes, EndpointCases):
    route, read_only = "evaluation/schemes", True


# -- runs ----------------------------------------------------------------------------------


class Runs(Evaluation):
    model = EvaluationRun
    expected = EXPECTED["evaluationrun"]

    def reach(self, zone, scope):
        return {ALL: zone["runs"]}[scope]

    def spare(self, zone, at):
        """A draft run without results: a mistaken run is deleted, the official one is not."""
        scheme = zone["scheme"]
        return EvaluationRun.objects.create(scheme=scheme, version=scheme.current, year=2022)


class TestEvaluationRunViews(Runs, ModelViewCases):
    # a run is started from a scheme and a year and frozen: no edit, no import
    pages = ("list", "add", "detail", "delete", "history")
    key_columns = ("id",)

    def queries(self, zone):
        official, draft = zone["runs"]
        return [
            ({"official": "true"}, [official]),
            ({"search": "复核"}, [draft]),
            ({"scheme": "test", "year": "2023"}, zone["runs"]),
            ({"year": "2022"}, []),
        ]

    def row_key(self, obj):
        return (str(obj.pk),)

    @pytest.mark.parametrize("role", ROLES)
    def test_create_holds_the_scope_and_is_logged(self, zone, users, client_for, role):
        """Started from its page, a run is queued as the user's background job, which a
        worker runs and the change log then credits to the user (test_jobs.py)."""
        data = {"scheme": zone["scheme"].pk, "year": "2023", "note": "月度复核"}
        params = self.queued_from_page(client_for(role), role, users[role], data, "evaluation.run")
        if params is not None:
            assert params == {"scheme": zone["scheme"].pk, "year": 2023, "note": "月度复核"}


class TestEvaluationRunApi(Runs, EndpointCases):
    route, read_only = "evaluation/runs", True


# -- results -------------------------------------------------------------------------------


class Results(Evaluation):
    model = EvaluationResult
    expected = EXPECTED["evaluationresult"]

    def reach(self, zone, scope):
        official = zone["runs"][:1]
        return {
            # p1_enterprise's result in the official run first: rated, class A
            ALL: results(zone, zone["p1_enterprises"] + zone["p2_enterprises"]),
            P1: results(zone, zone["p1_enterprises"]),
            E1: results(zone, [zone["p1_enterprise"]], official),
        }[scope]


class TestEvaluationResultViews(Results, ModelViewCases):
    # results are made by runs; what changes by hand is the class (调档), with its reason
    pages = ("list", "detail", "edit", "history")
    key_columns = ("run", "uscc")
    change = ("final_class", "B")
    change_with = {"class_change_reason": "补充纳税证明"}

    def queries(self, zone):
        everyone = zone["p1_enterprises"] + zone["p2_enterprises"]
        official, draft = zone["runs"]
        return [
            ({"park": "P2"}, results(zone, zone["p2_enterprises"])),
            ({"official": "true"}, results(zone, everyone, [official])),
            (
                {"run": draft.pk, "final_class": "A"},
                results(zone, zone["p1_enterprises"][:1], [draft]),
            ),
            ({"search": zone["p2_enterprise"].uscc}, results(zone, [zone["p2_enterprise"]])),
            ({"changed": "true"}, []),
        ]

    def row_key(self, obj):
        return (str(obj.run_id), obj.enterprise.uscc)


class TestEvaluationResultApi(Results, EndpointCases):
    route, read_only = "evaluation/results", True


# -- annual facts --------------------------------------------------------------------------


class Flags(Evaluation):
    model = AnnualFlag
    expected = EXPECTED["annualflag"]
    change = ("source", "应急管理局")

    def reach(self, zone, scope):
        flags = zone["flags"]
        return {ALL: flags, P1: flags[:2], E1: flags[:1]}[scope]

    def spare(self, zone, at):
        return AnnualFlag.objects.create(enterprise=at.enterprise, year=2021, flag="dishonest")


class TestAnnualFlagViews(Flags, ModelViewCases):
    key_columns = ("uscc", "year", "flag")
    template_headers = ["uscc", "year", "flag", "source", "note"]
    refusal = {"enterprise": [CHOICE_ERROR]}

    def queries(self, zone):
        flags = zone["flags"]
        return [
            ({"park": "P2"}, flags[2:]),
            ({"search": zone["p2_enterprise"].uscc}, flags[2:3]),
            ({"flag": "safety_incident"}, []),
            ({"year": "2023"}, flags),
        ]

    def row_key(self, obj):
        return (obj.enterprise.uscc, str(obj.year), obj.flag)

    def form_data(self, zone, at):
        return {"enterprise": at.enterprise.uscc, "year": "2024", "flag": "safety_incident"}

    def import_row(self, zone, at):
        return {"uscc": at.enterprise.uscc, "year": "2024", "flag": "safety_incident"}

    def import_refusal(self, zone, at):
        # Enterprises outside the scope are looked up as if they did not exist.
        return f"row 2, column uscc: unknown: {at.enterprise.uscc}"


class TestAnnualFlagApi(Flags, EndpointCases):
    route = "evaluation/facts"

    def payload(self, zone, at):
        return {"uscc": at.enterprise.uscc, "year": 2024, "flag": "safety_incident"}

    def away_error(self, zone, at):
        # Enterprises outside the scope are not even choices.
        return {"uscc": [f"Object with uscc={at.enterprise.uscc} does not exist."]}
