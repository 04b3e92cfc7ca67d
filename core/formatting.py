"""The one place that turns amounts, percentages, dates and years into text.

The active language decides the notation: "1.234,56 €", "12,5 %", "26.11.2026" in German,
"1,234.56 €", "12.5 %", "26/11/2026" in English (config/formats/en).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import formats


def amount(value: Decimal | int) -> str:
    """1234.5 → "1.234,50": the figure alone, as a money input shows it."""
    return formats.number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)


def eur(value: Decimal | int) -> str:
    """1234.5 → "1.234,50 €" in German, "1,234.50 €" in English."""
    return f"{amount(value)} €"


def percent(value: Decimal | int, places: int = 1) -> str:
    """12.5 → "12,5 %" (German puts a space before the sign, as DIN 5008 asks)."""
    return f"{formats.number_format(Decimal(value), places, use_l10n=True)} %"


def day(value: dt.date) -> str:
    """A calendar day in the short form of the active language: "26.11.2026"."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def year(value: int) -> str:
    """A fiscal or calendar year: never grouped like a number ("2026", not "2.026")."""
    return str(int(value))
