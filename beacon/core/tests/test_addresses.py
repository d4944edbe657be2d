"""Behind a proxy the logs and the lockout name the client, from the proxy's header only;
a header sent by anyone else is ignored."""

import pytest
from django.test import Client
from django.urls import reverse

from beacon.conftest import PASSWORD, make_user
from beacon.core.models import ChangeLogEntry, LoginFailure, LoginRecord
from beacon.core.testing import post_data

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
CLIENT = "203.0.113.7"
FORGED = "192.0.2.66"


@pytest.fixture(autouse=True)
def behind_a_proxy(settings):
    settings.BEACON_PROXY_ADDRESS_HEADER = "X-Real-IP"
    settings.BEACON_TRUSTED_PROXIES = [PROXY]
    settings.AXES_FAILURE_LIMIT = 3


def login(username, password="wrong", peer=PROXY, named=CLIENT):
    client = Client(REMOTE_ADDR=peer, HTTP_X_REAL_IP=named)
    status = client.post("/login/", {"username": username, "password": password}).status_code
    return client, status


def test_the_login_log_names_the_client_the_proxy_names():
    make_user("leader")
    login("leader", PASSWORD)
    login("leader")
    assert LoginRecord.objects.get(username="leader", kind="login").ip_address == CLIENT
    assert LoginFailure.objects.get(username="leader").ip_address == CLIENT


def test_a_header_from_a_client_that_is_no_proxy_is_ignored():
    make_user("leader")
    login("leader", peer=CLIENT, named=FORGED)
    assert LoginFailure.objects.get(username="leader").ip_address == CLIENT


def test_a_garbled_header_falls_back_to_the_proxy():
    make_user("leader")
    login("leader", named="<script>")
    assert LoginFailure.objects.get(username="leader").ip_address == PROXY


def test_the_lockout_is_per_client_not_per_proxy():
    make_user("leader")
    assert [login("leader")[1] for _ in range(3)] == [200, 200, 429]
    # the same proxy, another client: not locked
    assert login("leader", PASSWORD, named="198.51.100.2")[1] == 302


def test_the_change_log_ignores_a_forged_forwarded_for(zone):
    make_user("zone_admin")
    client, status = login("zone_admin", PASSWORD, peer=CLIENT, named=FORGED)
    assert status == 302
    enterprise = zone["p1_enterprise"]
    url = reverse("registry:enterprise_edit", args=[enterprise.pk])
    data = {**post_data(client.get(url).context["form"]), "name_en": "Renamed"}
    assert client.post(url, data, HTTP_X_FORWARDED_FOR=FORGED).status_code == 302
    entry = ChangeLogEntry.objects.filter(object_id=enterprise.pk).latest("pk")
    assert entry.changes["name_en"][1] == "Renamed"
    assert entry.remote_addr == CLIENT
