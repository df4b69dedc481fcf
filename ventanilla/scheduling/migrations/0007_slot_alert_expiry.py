"""Free-time alerts are watched for SLOT_ALERT_DAYS (60 by default) after they are asked for:
existing ones get that many days from their creation."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models


def fill_expiry(apps, schema_editor):
    SlotAlert = apps.get_model("scheduling", "SlotAlert")
    days = timedelta(days=getattr(settings, "SLOT_ALERT_DAYS", 60))
    for alert in SlotAlert.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        SlotAlert.objects.filter(pk=alert.pk).update(expires_at=alert.created_at + days)


class Migration(migrations.Migration):

    dependencies = [
        ("scheduling", "0006_slot_alert"),
    ]

    operations = [
        migrations.AddField(
            model_name="slotalert",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="watched until"),
        ),
        migrations.RunPython(fill_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="slotalert",
            name="expires_at",
            field=models.DateTimeField(
                help_text="After this moment nobody is told any more (SLOT_ALERT_DAYS after "
                          "it was asked for); the person can ask again.",
                verbose_name="watched until"),
        ),
    ]
