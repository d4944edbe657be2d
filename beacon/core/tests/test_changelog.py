"""The change log cannot be forgotten: every model is recorded or named as not recorded with
its reason, each entry keeps its history parent in an indexed column, and an object's
history page reads it in one query."""

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beacon.core import changelog
from beacon.core.changelog import acting_as, bulk_create_logged
from beacon.core.models import ChangeLogEntry, Role, ScopeGrant, User
from beacon.core.testing import audit_unguarded
from beacon.core.views.generic import history_for
from beacon.registry.models import AnnualFigure, Enterprise


def test_every_model_is_recorded_or_named_with_its_reason():
    unaccounted = [
        model._meta.label_lower
        for model in apps.get_models()
        if not auditlog.contains(model) and model._meta.label_lower not in changelog.NOT_RECORDED
    ]
    assert unaccounted == []
    # nothing named as not recorded is recorded after all, and every reason is written down
    for label, reason in changelog.NOT_RECORDED.items():
        assert reason.strip(), label
        model = apps.get_model(label)
        assert not auditlog.contains(model), label


def test_every_beacon_model_is_recorded():
    beacon = [m for m in apps.get_models() if m.__module__.startswith("beacon.")]
    assert len(beacon) > 30
    unrecorded = sorted(m._meta.label_lower for m in beacon if not auditlog.contains(m))
    # each unrecorded model is declared, with its reason, in NOT_RECORDED: the logs
    # themselves, tallies, and what is kept for speed or a job's state
    beacon_labels = {m._meta.label_lower for m in beacon}
    assert unrecorded == sorted(set(changelog.NOT_RECORDED) & beacon_labels)
    assert "core.changelogentry" in unrecorded


def test_each_declared_parent_is_a_foreign_key():
    for model in apps.get_models():
        how = changelog.recorded(model)
        if how is None or how.parent is None:
            continue
        field = model._meta.get_field(how.parent)
        assert field.many_to_one, model
        assert model in changelog.children(field.related_model), model


@pytest.mark.django_db
def test_a_figure_is_filed_under_its_enterprise_single_and_in_bulk(zone, users):
    enterprise = zone["p1_enterprise"]
    ct = ContentType.objects.get_for_model(Enterprise)
    with acting_as(users["zone_admin"]):
        figure = AnnualFigure.objects.create(enterprise=enterprise, year=2020, tax=1)
        (bulk,) = bulk_create_logged(AnnualFigure, [AnnualFigure(enterprise=enterprise, year=2019)])
    for row in (figure, bulk):
        (entry,) = ChangeLogEntry.objects.get_for_object(row)
        assert (entry.parent_type, entry.parent_id) == (ct, enterprise.pk)
        assert entry.actor == users["zone_admin"]


@pytest.mark.django_db
def test_an_objects_history_is_one_query_and_keeps_to_the_scope(zone, users):
    enterprise = zone["p1_enterprise"]
    with acting_as(users["zone_admin"]):
        enterprise.name_en = "Renamed"
        enterprise.save()
    figures = {f.pk for f in enterprise.figures.all()}
    history_for(enterprise, users["zone_admin"])  # the process learns the content types once
    with CaptureQueriesContext(connection) as queries:
        entries = list(history_for(enterprise, users["zone_admin"]))
    assert len(queries) == 1, [q["sql"][:200] for q in queries.captured_queries]
    types = {(e.content_type.model, e.object_id) for e in entries}
    assert ("enterprise", enterprise.pk) in types
    assert {pk for model, pk in types if model == "annualfigure"} == figures
    # a promoter may see the enterprise but not its figures: their changes are not shown
    shown = {e.content_type.model for e in history_for(enterprise, users["promoter"])}
    assert shown == {"enterprise"}


@pytest.mark.django_db
def test_accounts_roles_and_grants_are_recorded_without_secrets(zone, users):
    with acting_as(users["system_admin"]):
        user = User.objects.create_user("newcomer", password="Secret-2024-x")
        user.role = Role.objects.get(code="park_officer")
        user.save()
        grant = ScopeGrant.objects.create(user=user, kind="park", object_id=zone["p1"].pk)
    created = ChangeLogEntry.objects.get_for_object(user).get(action=ChangeLogEntry.Action.CREATE)
    assert created.actor == users["system_admin"]
    assert "password" not in created.changes and "last_login" not in created.changes
    assert ChangeLogEntry.objects.get_for_object(user).filter(action=1).count() == 1
    (entry,) = ChangeLogEntry.objects.get_for_object(grant)
    assert (entry.parent_type.model, entry.parent_id) == ("user", user.pk)
    # a second factor enrolled shows on the account, without its key
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with acting_as(user):
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    (entry,) = ChangeLogEntry.objects.get_for_object(device)
    assert (entry.parent_type.model, entry.parent_id) == ("user", user.pk)
    assert set(entry.changes) == {"user", "name", "confirmed"}


@pytest.mark.django_db
def test_a_bulk_update_writes_every_change_and_logs_the_recorded_ones(zone, users):
    from copy import copy

    from beacon.core.versions import save_version
    from beacon.evaluation.models import EvaluationRun, Scheme

    scheme = Scheme.objects.create(code="s", name="s")
    version = save_version(scheme, "year: 2023", users["zone_admin"])
    run = EvaluationRun.objects.create(scheme=scheme, version=version, year=2023, enterprises=1)
    after = copy(run)
    after.enterprises, after.note = 2, ""  # the log records a run's official mark and note only
    assert changelog.bulk_update_logged(EvaluationRun, [(run, after)], ["enterprises"]) == 1
    run.refresh_from_db()
    assert run.enterprises == 2
    assert ChangeLogEntry.objects.get_for_object(run).filter(action=1).count() == 0
    again = copy(run)
    again.note = "重算"
    assert changelog.bulk_update_logged(EvaluationRun, [(run, again)], ["note"]) == 1
    (entry,) = ChangeLogEntry.objects.get_for_object(run).filter(action=1)
    assert entry.changes == {"note": ["", "重算"]}


@pytest.mark.django_db
def test_the_log_is_append_only(zone):
    entry = ChangeLogEntry.objects.get_for_object(zone["p1"]).first()
    entry.object_repr = "forged"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


@pytest.mark.django_db
def test_the_log_kept_before_gains_its_parents_in_place(zone):
    """The migration to ``ChangeLogEntry`` keeps auditlog's table and entries; the parent an
    entry named in its additional data moves to the indexed columns, and the auditor's
    role follows the model."""
    from importlib import import_module

    from django.db.migrations.loader import MigrationLoader

    migration = import_module("beacon.core.migrations.0003_change_log_entries")
    state = MigrationLoader(connection).project_state().apps
    figure = zone["p1_figure"]
    kept = ChangeLogEntry.objects.get_for_object(figure).get()
    kept_values = ChangeLogEntry.objects.filter(pk=kept.pk)
    unnamed = ChangeLogEntry.objects.get_for_object(zone["p1"]).get()
    role = Role.objects.get(code="auditor")
    role.rules = [{"models": ["auditlog.logentry"], "actions": ["view"], "scope": "zone"}]
    role.save()

    with audit_unguarded():  # as the log was when this migration ran
        kept_values.update(parent_type=None, parent_id=None, additional_data={"enterprise_id": 42})
        migration.fill_parents(state, None)
    migration.rename_in_roles(state, None)

    kept.refresh_from_db()
    assert (kept.parent_type.model, kept.parent_id, kept.object_id) == (
        "enterprise",
        42,
        figure.pk,
    )
    unnamed.refresh_from_db()
    assert (unnamed.parent_type, unnamed.parent_id) == (None, None)
    role.refresh_from_db()
    assert role.rules[0]["models"] == ["core.changelogentry"]
    assert ChangeLogEntry._meta.db_table == "auditlog_logentry"


# Bulk writes send no signals, so auditlog never sees them: outside the helpers in
# beacon/core/changelog.py they are allowed only where what they write is not recorded.
BULK_WRITES = {"bulk_create", "bulk_update", "update"}
QUERYSET_WAYS = {
    "objects",
    "_default_manager",
    "_base_manager",
    "filter",
    "exclude",
    "all",
    "order_by",
    "select_related",
    "restrict",
}
UNRECORDED_BULK = {
    ("core/api/authentication.py", "update"): "an API token's last use, a field not recorded",
    ("core/mfa.py", "bulk_create"): "recovery codes, otp_static.statictoken, not recorded",
    ("promotion/claims.py", "bulk_create"): "rival claims, kept from recorded leads",
    ("promotion/claims.py", "update"): "the tally of rival claim writes, not recorded",
    ("jobs/services.py", "update"): "a job's state and progress, jobs.job, not recorded",
    ("chains/membership.py", "bulk_create"): "kept link members and totals, not recorded",
    ("chains/membership.py", "bulk_update"): "kept link totals, not recorded",
    ("registry/tallies.py", "bulk_create"): "the dashboard's totals, not recorded",
    ("registry/tallies.py", "bulk_update"): "the dashboard's totals, not recorded",
    ("evaluation/charts.py", "bulk_create"): "a run's charts, not recorded",
    ("supervision/current.py", "bulk_create"): "kept statuses, judged from recorded inputs",
}


def orm_bulk_writes(path):
    """``(line, method)`` of each bulk write on a queryset in the module at ``path``."""
    import ast

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in BULK_WRITES:
            continue
        receiver, ways = node.func.value, set()
        while isinstance(receiver, ast.Call | ast.Attribute):
            if isinstance(receiver, ast.Attribute):
                ways.add(receiver.attr)
                receiver = receiver.value
            else:
                receiver = receiver.func
        if ways & QUERYSET_WAYS:
            yield node.lineno, node.func.attr


def test_no_bulk_write_bypasses_the_change_log():
    from pathlib import Path

    import beacon

    root = Path(beacon.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative == "core/changelog.py":
            continue
        for line, method in orm_bulk_writes(path):
            if (relative, method) not in UNRECORDED_BULK:
                found.append(f"{relative}:{line} {method}()")
    assert found == []
