"""Draw again the charts kept with more scatter points than a run page now shows, so that
a page reads no more than it draws."""

from django.db import migrations

from beacon.evaluation import charts


def thin(apps, schema_editor):
    RunChart = apps.get_model("evaluation", "RunChart")
    for chart in RunChart.objects.filter(park=None).select_related("run").iterator():
        if sum(len(points) for points in chart.scatter.values()) > charts.SCATTER_POINTS:
            charts.keep_charts(chart.run)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0006_results_listed_by_index")]
    operations = [migrations.RunPython(thin, migrations.RunPython.noop)]
