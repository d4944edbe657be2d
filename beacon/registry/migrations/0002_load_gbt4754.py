from django.db import migrations


def load(apps, schema_editor):
    from beacon.registry.classification import load_classification

    load_classification(apps.get_model("registry", "IndustryClass"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
