"""Basiszinssätze since 2023, as announced by the Deutsche Bundesbank (§ 247 BGB).

1.62 % (1 Jan 2023) and 1.27 % (1 Jul 2025, unchanged on 1 Jan 2026) were checked against
public announcements; the values in between are the Bundesbank's published half-yearly rates.
New rates are added in the admin ("Basiszinssätze") every January and July.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

SOURCE = "Deutsche Bundesbank, Bekanntgabe des Basiszinssatzes"
RATES = [
    (dt.date(2023, 1, 1), Decimal("1.62")),
    (dt.date(2023, 7, 1), Decimal("3.12")),
    (dt.date(2024, 1, 1), Decimal("3.62")),
    (dt.date(2024, 7, 1), Decimal("3.37")),
    (dt.date(2025, 1, 1), Decimal("2.27")),
    (dt.date(2025, 7, 1), Decimal("1.27")),
    (dt.date(2026, 1, 1), Decimal("1.27")),
]


def seed(apps, schema_editor):
    BaseRate = apps.get_model("grants", "BaseRate")
    for valid_from, rate in RATES:
        BaseRate.objects.get_or_create(
            valid_from=valid_from, defaults={"rate_percent": rate, "source": SOURCE}
        )


def unseed(apps, schema_editor):
    BaseRate = apps.get_model("grants", "BaseRate")
    BaseRate.objects.filter(valid_from__in=[d for d, _ in RATES], source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("grants", "0003_casework")]
    operations = [migrations.RunPython(seed, unseed)]
