"""Who and what a call accepts (Antragsberechtigung): the type of applicant, the place of the
project, a project not begun before the application, the amount. Each rule is here once and
says in plain German why it refuses; three places ask it:

- the check before the first step, with the answers typed there (``eligibility_refusals``);
- the creation of a draft, with the applicant's type (``applicant_kind_refusal``), which also
  marks the calls that do not fit the applicant's profile;
- the submission, with the application's own answers (the conditions of the submit
  transition in ``application_rules``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from applicants.models import ApplicantKind
from core import formatting

if TYPE_CHECKING:
    from grants.models.programmes import Call, Programme


@dataclass(frozen=True)
class EligibilityAnswers:
    """The answers the rules judge; ``None`` where nothing has been said yet."""

    applicant_kind: str | None = None
    # The project takes place in one of the programme's areas (Stadtbezirk, town).
    in_area: bool | None = None
    # The project begins before the application is filed ...
    started: bool | None = None
    # ... with consent to an early start asked for (with the application) or given.
    early_start: bool = False
    amount: Decimal | None = None


def applicant_kind_refusal(programme: Programme, kind: str) -> str | None:
    allowed = programme.eligible_applicant_kinds
    if kind in allowed:
        return None
    label = ApplicantKind(kind).label if kind in ApplicantKind.values else kind
    names = ", ".join(str(ApplicantKind(k).label) for k in allowed if k in ApplicantKind.values)
    return _(
        "%(kind)s kann bei diesem Programm keinen Antrag stellen. Antragsberechtigt sind: "
        "%(allowed)s."
    ) % {"kind": label, "allowed": names or "–"}


def place_refusal(programme: Programme, in_area: bool) -> str | None:
    # A programme without areas (Stadtbezirke, towns) funds projects wherever they are.
    if in_area or not programme.areas.exists():
        return None
    return _("Das Projekt muss im Gebiet des Programms stattfinden.")


def start_refusal(started: bool, early_start: bool) -> str | None:
    if not started or early_start:
        return None
    return _(
        "Das Projekt darf nicht vor der Antragstellung beginnen: Ein Projekt, das schon "
        "begonnen hat, kann nicht mehr gefördert werden. Muss es früher beginnen, beantragen "
        "Sie mit dem Antrag den vorzeitigen Maßnahmebeginn."
    )


def amount_refusal(call: Call, amount: Decimal) -> str | None:
    if amount > call.cap:
        return _("Sie können höchstens %(cap)s beantragen.") % {"cap": formatting.eur(call.cap)}
    minimum = call.programme.min_amount_per_application
    if amount < minimum:
        return _("Sie müssen mindestens %(min)s beantragen.") % {"min": formatting.eur(minimum)}
    return None


def eligibility_refusals(call: Call, answers: EligibilityAnswers) -> dict[str, str]:
    """Why the answers do not fit ``call``, by answer (``applicant_kind``, ``in_area``,
    ``started``, ``amount``); empty if they fit. Answers not given are not judged."""
    refusals = {
        "applicant_kind": answers.applicant_kind is not None
        and applicant_kind_refusal(call.programme, answers.applicant_kind),
        "in_area": answers.in_area is not None and place_refusal(call.programme, answers.in_area),
        "started": answers.started is not None
        and start_refusal(answers.started, answers.early_start),
        "amount": answers.amount is not None and amount_refusal(call, answers.amount),
    }
    return {name: reason for name, reason in refusals.items() if reason}
