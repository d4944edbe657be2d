"""Trigram indexes for the enterprise search on PostgreSQL.

``search=`` is a substring match (``UPPER(col::text) LIKE UPPER('%新能源%')``), which no
B-tree can serve; pg_trgm's GIN indexes can, for Chinese text too. SQLite scans, which is
fast enough at its scale (see docs/benchmarks.md).
"""

from django.db import migrations

COLUMNS = ("name", "name_en", "uscc", "business_scope")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS registry_ent_{column}_trgm ON registry_enterprise "
            f"USING gin ((UPPER(({column})::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS registry_ent_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_enterprise_name_indexes")]
    operations = [migrations.RunPython(create, drop)]
