from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException


def validate_iban(value: str) -> None:
    """Checks country format and the ISO 7064 check digits (schwifty)."""
    try:
        IBAN(value)
    except SchwiftyException as exc:
        raise ValidationError(
            _("Die IBAN „%(value)s“ ist ungültig. Bitte prüfen Sie Ihre Eingabe."),
            code="invalid_iban",
            params={"value": value},
        ) from exc


def validate_bic(value: str) -> None:
    try:
        BIC(value)
    except SchwiftyException as exc:
        raise ValidationError(
            _("Die BIC „%(value)s“ ist ungültig."), code="invalid_bic", params={"value": value}
        ) from exc


def normalise_iban(value: str) -> str:
    return "".join(value.split()).upper()
