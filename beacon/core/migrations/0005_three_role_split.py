from django.db import migrations


def separate_duties(apps, schema_editor):
    from beacon.core.roles import separate_duties

    separate_duties(apps.get_model("core", "Role"))


class Migration(migrations.Migration):
    dependencies = [("core", "0004_password_history")]
    operations = [migrations.RunPython(separate_duties, migrations.RunPython.noop)]
