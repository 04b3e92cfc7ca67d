"""Money as people type it: Decimal euros with two places, in the active language's notation."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import formats

CENT = Decimal("0.01")


def parse_eur(text: str, *, places: int | None = 2) -> Decimal:
    """An amount in the active language's notation: "1.234,56" or "1234,5" in German,
    "1,234.56" in English; a trailing or leading "€" is ignored.

    A notation that could be read either way ("2500.00" on a German page) is refused rather
    than guessed, since guessing wrong would plan a hundred times the money. More than
    ``places`` digits after the separator are refused too (``None``: any, for a form field
    that explains the limit itself). Raises ``ValueError`` for anything else.
    """
    decimal = re.escape(formats.get_format("DECIMAL_SEPARATOR"))
    thousand = re.escape(formats.get_format("THOUSAND_SEPARATOR"))
    cleaned = text.replace("€", "").replace("\N{NO-BREAK SPACE}", " ").strip()
    fraction = r"\d+" if places is None else rf"\d{{1,{places}}}"
    pattern = rf"(\d{{1,3}}({thousand}\d{{3}})+|\d+)({decimal}{fraction})?"
    if not re.fullmatch(pattern, cleaned):
        raise ValueError(f"not an amount: {text!r}")
    # The pattern admits digits and the two separators only, so Decimal cannot fail here.
    return Decimal(formats.sanitize_separators(cleaned))
