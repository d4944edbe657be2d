import datetime as dt

import django.utils.timezone

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def expire_open_tokens(apps, schema_editor):
    # Tokens issued before every token expired get the usual lifetime from today.
    ApiToken = apps.get_model("core", "ApiToken")
    expires = timezone.now() + dt.timedelta(days=settings.BEACON_TOKEN_DAYS)
    ApiToken.objects.filter(expires=None).update(expires=expires)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_audit_hash_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="revoked",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="created",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="created"
            ),
        ),
        migrations.RunPython(expire_open_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
