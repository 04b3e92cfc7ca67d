"""Dates for the stories: project periods, and days relative to the day the seed runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from grants.models import add_months


def months(start: dt.date, count: int) -> tuple[dt.date, dt.date]:
    """A project period of ``count`` months from ``start`` (last day included)."""
    return start, add_months(start, count) - dt.timedelta(days=1)


def two_fiscal_years(after: dt.date) -> tuple[dt.date, dt.date]:
    """From the first of the month after ``after`` to the end of the following year: at most
    24 months, charged to exactly two fiscal years."""
    start = add_months(after.replace(day=1), 1)
    return start, dt.date(start.year + 1, 12, 31)


def relative_to(today: dt.date) -> tuple[Callable[[int], dt.date], Callable[[int], dt.date]]:
    """``ago(n)`` and ``ahead(n)``: days before and after ``today``."""

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def ahead(days: int) -> dt.date:
        return today + dt.timedelta(days=days)

    return ago, ahead
