from django.db import migrations


def add_rules(apps, schema_editor):
    from beacon.core.roles import add_app_rules

    add_app_rules(apps.get_model("core", "Role"), "jobs")


class Migration(migrations.Migration):
    dependencies = [("core", "0010_backup_records"), ("jobs", "0001_background_jobs")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
