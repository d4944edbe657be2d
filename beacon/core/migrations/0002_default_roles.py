from django.db import migrations


def create_roles(apps, schema_editor):
    from beacon.core.roles import sync_default_roles

    sync_default_roles(apps.get_model("core", "Role"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
