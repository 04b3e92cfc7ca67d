"""Shared helpers of the grant models: money with two decimal places, month arithmetic, and the
base of append-only records."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, TypedDict

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class Precision(TypedDict):
    """The digits of a ``DecimalField``; typed so that ``**MONEY`` type-checks as its two
    keyword arguments, not as a dict that could fill any of them."""

    max_digits: int
    decimal_places: int


MONEY: Final[Precision] = {"max_digits": 12, "decimal_places": 2}
PERCENT: Final[Precision] = {"max_digits": 5, "decimal_places": 2}


def prefetched(obj: models.Model, relation: str) -> bool:
    """Whether ``relation`` of ``obj`` was loaded with ``prefetch_related``. Figures derived
    from related rows then read those rows instead of asking the database again: the case
    file loads them once for the rules of all its steps."""
    return relation in getattr(obj, "_prefetched_objects_cache", {})


def money(value: Decimal | int | str | None) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the 31st plus one month is the last day of a shorter
    month, as deadlines are counted under § 188 BGB."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_last_day(start: dt.date, months: int) -> dt.date:
    """The last day of a period of ``months`` months that begins on ``start`` (counted as
    § 187 (2) and § 188 (2, 3) BGB do): the day before the corresponding day, or the last day
    of the month where that month has no corresponding day. 1 Jan 2026 + 24 months ends on
    31 Dec 2027; a project until 1 Jan 2028 lasts 24 months and one day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_of_month = calendar.monthrange(year, month)[1]
    if start.day > last_of_month:
        return dt.date(year, month, last_of_month)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(_("Dieser Eintrag ist unveränderlich."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Dieser Eintrag ist unveränderlich."))
