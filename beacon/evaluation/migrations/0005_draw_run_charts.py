"""Draw the charts of the runs stored before runs kept them."""

from django.db import migrations

from beacon.evaluation.charts import keep_charts


def draw(apps, schema_editor):
    for run in apps.get_model("evaluation", "EvaluationRun").objects.iterator():
        keep_charts(run)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0004_run_charts")]
    operations = [migrations.RunPython(draw, migrations.RunPython.noop)]
