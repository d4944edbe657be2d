import django.utils.timezone
from django.db import migrations, models

from beacon.core import audit, chain

# Every audit log row gains its place in the log's hash chain, the previous row's hash and
# its own; the rows written before are chained here in the order they were written. The
# triggers are lifted for the chaining and put back, with the archive anchors' table added.
BEFORE = {"auditlog_logentry": "timestamp", "core_loginrecord": "time", "core_loginfailure": "time"}
AFTER = {**BEFORE, "core_auditanchor": "archived_at"}
LOGS = (("core", "changelogentry"), ("core", "loginrecord"), ("core", "loginfailure"))


def unguard(apps, schema_editor):
    audit.unguard(schema_editor.connection, BEFORE)


def guard_before(apps, schema_editor):
    audit.guard(schema_editor.connection, BEFORE)


def guard_after(apps, schema_editor):
    audit.guard(schema_editor.connection, AFTER)


def unguard_after(apps, schema_editor):
    audit.unguard(schema_editor.connection, AFTER)


def chain_rows(apps, schema_editor):
    for app_label, name in LOGS:
        model = apps.get_model(app_label, name)
        seq, prev = 0, chain.GENESIS
        batch = []
        for row in model.objects.order_by("pk").iterator(chunk_size=2000):
            chain.link([row], seq, prev)
            seq, prev = row.chain_seq, row.chain_hash
            batch.append(row)
            if len(batch) == 2000:
                model.objects.bulk_update(batch, ["chain_seq", "chain_prev", "chain_hash"])
                batch = []
        model.objects.bulk_update(batch, ["chain_seq", "chain_prev", "chain_hash"])


def chain_fields(final: bool) -> list[tuple[str, models.Field]]:
    return [
        (
            "chain_seq",
            models.BigIntegerField(
                editable=False, unique=final, null=not final, verbose_name="place in the chain"
            ),
        ),
        (
            "chain_prev",
            models.CharField(
                editable=False, max_length=64, null=not final, verbose_name="previous hash"
            ),
        ),
        (
            "chain_hash",
            models.CharField(editable=False, max_length=64, null=not final, verbose_name="hash"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [("core", "0006_login_log_append_only")]

    operations = [
        migrations.RunPython(unguard, guard_before),
        *(
            migrations.AddField(model_name=name, name=field_name, field=field)
            for _app, name in LOGS
            for field_name, field in chain_fields(final=False)
        ),
        migrations.RunPython(chain_rows, migrations.RunPython.noop),
        *(
            migrations.AlterField(model_name=name, name=field_name, field=field)
            for _app, name in LOGS
            for field_name, field in chain_fields(final=True)
        ),
        migrations.CreateModel(
            name="AuditAnchor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("log_table", models.CharField(max_length=63, verbose_name="log")),
                ("chain_seq", models.BigIntegerField(verbose_name="last place archived")),
                ("chain_hash", models.CharField(max_length=64, verbose_name="its hash")),
                ("rows", models.PositiveIntegerField(verbose_name="rows archived")),
                ("before", models.DateTimeField(verbose_name="archived rows before")),
                (
                    "archived_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="archived at"
                    ),
                ),
                ("file", models.CharField(max_length=500, verbose_name="archive file")),
            ],
            options={
                "verbose_name": "audit archive anchor",
                "verbose_name_plural": "audit archive anchors",
                "ordering": ["log_table", "chain_seq"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("log_table", "chain_seq"), name="core_anchor_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(guard_after, unguard_after),
    ]
