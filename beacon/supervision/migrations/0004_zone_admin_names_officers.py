from django.db import migrations


def add_rules(apps, schema_editor):
    """The zone administration may pick a key project's officer among the park officers
    (the one rule on ``core.user`` it lacks)."""
    from beacon.core.roles import add_app_rules

    add_app_rules(apps.get_model("core", "Role"), "core")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_default_roles"), ("supervision", "0003_status_rules")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
