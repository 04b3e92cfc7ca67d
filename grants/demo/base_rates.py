"""Base rates for the demo's own time: the demo replays repayments up to today, but the table
holds only the rates an administrator entered and checked. Where the latest half-years are
missing, the demo carries the last known rate forward in rows that say so in their source
and carry no check date, so nobody takes them for an announced rate (the admin lists them,
and a real installation enters the Bundesbank's value instead)."""

from __future__ import annotations

import datetime as dt

from grants.demo.records import SeedResult
from grants.models import BaseRate

DEMO_SOURCE = "Demo-Daten: letzter bekannter Wert fortgeschrieben, nicht amtlich geprüft"


def _half_years(after: dt.date, until: dt.date) -> list[dt.date]:
    days = []
    day = dt.date(after.year, 7, 1) if after.month < 7 else dt.date(after.year + 1, 1, 1)
    while day <= until:
        days.append(day)
        day = dt.date(day.year, 7, 1) if day.month < 7 else dt.date(day.year + 1, 1, 1)
    return days


def ensure_base_rates(result: SeedResult, today: dt.date) -> None:
    latest = BaseRate.objects.order_by("-valid_from").first()
    if latest is None:
        return
    for valid_from in _half_years(latest.valid_from, today):
        BaseRate.objects.create(
            valid_from=valid_from, rate_percent=latest.rate_percent, source=DEMO_SOURCE
        )
        result.rows_created["BaseRate"] += 1
