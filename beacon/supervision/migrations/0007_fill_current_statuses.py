from django.conf import settings
from django.db import migrations
from django.utils import timezone


def judge_every_project(apps, schema_editor):
    """Every existing project's status as of today by the rules in force, kept; and the
    day and rules they were judged by."""
    from beacon.supervision.current import judged, rules_digest, store
    from beacon.supervision.shipped_rules import shipped_rules_text

    KeyProject = apps.get_model("supervision", "KeyProject")
    StatusRules = apps.get_model("supervision", "StatusRules")
    in_force = StatusRules.objects.filter(in_force=True).first()
    version = None if in_force is None else in_force.versions.order_by("-number").first()
    rules = shipped_rules_text(settings.LANGUAGE_CODE) if version is None else version.text
    day = timezone.localdate()
    store(
        apps.get_model("supervision", "CurrentStatus"),
        judged(KeyProject.objects.all(), day, rules),
    )
    apps.get_model("supervision", "StatusRefresh").objects.update_or_create(
        pk=1, defaults={"as_of": day, "rules_digest": rules_digest(rules)}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0006_current_status"),
    ]

    operations = [
        migrations.RunPython(judge_every_project, migrations.RunPython.noop),
    ]
