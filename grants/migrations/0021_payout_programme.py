"""The payout's programme, copied from its application, and the indexes of the payout list."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_programme(apps, schema_editor):
    Payout = apps.get_model("grants", "Payout")
    Application = apps.get_model("grants", "Application")
    Payout.objects.update(
        programme_id=Subquery(
            Application.objects.filter(pk=OuterRef("application_id")).values("programme_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0020_paid_totals"),
    ]

    operations = [
        migrations.AddField(
            model_name="payout",
            name="programme",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="grants.programme",
            ),
        ),
        migrations.RunPython(copy_programme, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="payout",
            name="programme",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="grants.programme",
            ),
        ),
        migrations.AddIndex(
            model_name="payout",
            index=models.Index(fields=["state", "due_date", "id"], name="payout_state_due"),
        ),
        migrations.AddIndex(
            model_name="payout",
            index=models.Index(
                fields=["state", "programme"], include=("amount",), name="payout_state_programme"
            ),
        ),
    ]
