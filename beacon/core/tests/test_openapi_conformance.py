"""A short schemathesis run: the API keeps the promises its OpenAPI schema makes.

Every operation of /api/v1/ gets generated requests (valid and invalid) through the WSGI
application in-process: many as a zone administrator, who may do everything, and a few as
every other role and anonymously, whose answers are refusals and scoped lists. Each answer
must not be a 5xx, its status code must be documented for the operation, and its body must
be JSON matching the documented schema. The run is kept short (a bounded number of examples
per operation, no coverage phase) so that it fits in the normal test suite.

The schema is the published snapshot, which test_openapi.py holds equal to the one served.
"""

from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from beacon.api_urls import router
from beacon.conftest import ROLES
from beacon.core.models import ApiToken
from beacon.wsgi import application

config = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": 20},
        # The coverage phase walks every boundary of every field: hundreds of requests per
        # operation, minutes in all. The edge cases it found are pinned in test_api.py.
        "phases": {"coverage": {"enabled": False}},
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)
VIEWSETS = {prefix: viewset for prefix, viewset, _basename in router.registry}
schema = schemathesis.openapi.from_path(Path(__file__).with_name("openapi.json"), config=config)
schema.app = application
# Examples per operation for each other role and for an anonymous caller: their answers are
# few kinds (401, 403, 404 and scoped lists), so a few examples reach them all.
OTHER_CALLER_EXAMPLES = 3


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    # A generated id almost never exists; half the time use one that does, so that reads,
    # updates and deletes also run on real rows. Only an index is drawn: what hypothesis
    # draws must not depend on the database, which the deletes change between examples.
    if not path_parameters:  # a list operation
        return st.just(path_parameters)
    route = "/".join(context.operation.path.split("/")[3:5])  # /api/v1/<app>/<route>/{id}/
    model = VIEWSETS[route].queryset.model

    def existing(index):
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True)[:20])
        return {**path_parameters, "id": ids[index % len(ids)]} if ids else path_parameters

    return st.one_of(st.just(path_parameters), st.integers(0, 19).map(existing))


@pytest.fixture
def keep_test_transaction():
    # The WSGI handler closes "old" connections around each request, which on PostgreSQL
    # would end the transaction the test runs in; Django's test client skips it the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}


@pytest.fixture
def admin_headers(users, keep_test_transaction):
    return bearer(users["zone_admin"])


@pytest.fixture(params=[*(role for role in ROLES if role != "zone_admin"), "anonymous"])
def caller_headers(request, users, keep_test_transaction):
    return {} if request.param == "anonymous" else bearer(users[request.param])


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_api_conforms_to_its_schema(case, admin_headers):
    case.call_and_validate(headers=admin_headers)


@schema.parametrize()
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    deadline=None,
    max_examples=OTHER_CALLER_EXAMPLES,
)
def test_api_conforms_to_its_schema_for_every_other_caller(case, caller_headers):
    case.call_and_validate(headers=caller_headers)
