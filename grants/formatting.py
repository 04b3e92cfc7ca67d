from decimal import Decimal

from django.utils import formats


def eur(amount: Decimal | int) -> str:
    """1234.5 → '1.234,50 €' in German, '1,234.50 €' in English: the active locale decides."""
    return f"{formats.number_format(Decimal(amount), 2, use_l10n=True, force_grouping=True)} €"
