from django.db import migrations


def add_rules(apps, schema_editor):
    from beacon.core.roles import add_app_rules

    add_app_rules(apps.get_model("core", "Role"), "supervision")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_default_roles"), ("supervision", "0001_initial")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
