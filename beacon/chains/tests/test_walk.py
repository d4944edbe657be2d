"""Every chains page and API endpoint, for every role (see beacon.core.testing): chains,
target lists and their targets are read by the roles that may, and changed and logged by
the zone administration alone."""

import pytest

from beacon.chains.jobs import TARGET_LIST
from beacon.chains.models import Chain, Target, TargetList
from beacon.conftest import ROLES
from beacon.core.testing import ALL, EndpointCases, ModelViewCases
from beacon.core.versions import save_version
from beacon.registry.tests.factories import make_uscc

from .conftest import CHAIN
from .expected import EXPECTED

# the same links under another key: a file's key must be its chain's
LITE = CHAIN.replace("key: mini\n", "key: lite\n", 1)


class Chains:
    """The station's records on the conftest zone: the mini battery chain and two target
    lists for its gap, as a ranking kept them (two targets each)."""

    @classmethod
    def populate(cls, zone, users):
        chain = Chain.objects.create(key="mini", name="迷你电池链", name_en="Mini battery chain")
        save_version(chain, CHAIN, None)
        zone["chain"], zone["target_lists"], zone["targets"] = chain, [], []
        for n, candidates in enumerate(("companies.csv", "expo-2024.csv")):
            target_list = make_list(chain, candidates)
            zone["target_lists"].append(target_list)
            zone["targets"] += [
                Target.objects.create(
                    target_list=target_list,
                    link="vehicles",
                    rank=rank,
                    uscc=make_uscc(810000 + 10 * n + rank),
                    name=name,
                    province="广东省",
                    score=score,
                )
                for rank, name, score in (
                    (1, "广州远航新能源汽车有限公司", 0.9),
                    (2, "合肥星驰汽车有限公司", 0.6),
                )
            ]


def make_list(chain, candidates="companies.csv") -> TargetList:
    return TargetList.objects.create(
        chain=chain, version=chain.current, candidates=candidates, parameters={"top": 10}
    )


# -- chains --------------------------------------------------------------------------------


class Maps(Chains):
    model = Chain
    expected = EXPECTED["chain"]

    def reach(self, zone, scope):
        return {ALL: [zone["chain"]]}[scope]

    def spare(self, zone, at):
        return Chain.objects.create(key="spare", name="备用链")


class TestChainViews(Maps, ModelViewCases):
    pages = ("list", "add", "detail", "edit", "delete", "history", "download")

    def queries(self, zone):
        return [({"search": "迷你"}, [zone["chain"]]), ({"search": "储能"}, [])]

    def form_data(self, zone, at):
        return {"key": "lite", "name": "轻型电池链", "text": LITE}


class TestChainApi(Maps, EndpointCases):
    route, read_only = "chains/chains", True


# -- target lists and targets --------------------------------------------------------------


class TargetLists(Chains):
    model = TargetList
    expected = EXPECTED["targetlist"]

    def reach(self, zone, scope):
        return {ALL: zone["target_lists"]}[scope]

    def spare(self, zone, at):
        return make_list(zone["chain"])


class TestTargetListViews(TargetLists, ModelViewCases):
    # a list is ranked from a candidate file and kept as it was: no edit, no import
    pages = ("list", "add", "detail", "delete", "history")

    @pytest.fixture(autouse=True)
    def candidate_folder(self, candidate_file):
        """The data folder the add page offers candidate files from."""

    def queries(self, zone):
        lists = zone["target_lists"]
        return [
            ({"chain": zone["chain"].pk}, lists),
            ({"search": "expo"}, lists[1:]),
            ({"search": "parquet"}, []),
        ]

    def form_data(self, zone, at):
        chain = zone["chain"].pk
        return {
            "chain": chain,
            "candidates": "companies.csv",
            "top": "10",
            "home_province": "广东省",
        }

    @pytest.mark.parametrize("role", ROLES)
    def test_create_holds_the_scope_and_is_logged(self, zone, users, client_for, role):
        """Made from its page, a list is queued as the user's background job, which a worker
        ranks and keeps (test_app.py)."""
        data = self.form_data(zone, None)
        params = self.queued_from_page(client_for(role), role, users[role], data, TARGET_LIST)
        if params is not None:
            assert params == {
                "chain": zone["chain"].pk,
                "candidates": "companies.csv",
                "options": {
                    "top": 10,
                    "exclude_provinces": [],
                    "home_province": "广东省",
                    "home_city": None,
                },
            }


class TestTargetListApi(TargetLists, EndpointCases):
    route, read_only = "chains/target-lists", True


class TestTargetApi(Chains, EndpointCases):
    # targets are shown on their list's page: no pages of their own
    route, read_only, model = "chains/targets", True, Target
    expected = EXPECTED["target"]

    def reach(self, zone, scope):
        return {ALL: zone["targets"]}[scope]
