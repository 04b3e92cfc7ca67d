"""Reads about programmes: which programmes a person works on, which calls are open."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import ApplicantKind, User
from core import formatting
from grants.models import Call, Programme, staff_roles


def programmes_for_staff(user: User, role: str | None = None) -> list[int]:
    """Ids of the programmes ``user`` has a staff role in (``role``, if given). From the roles
    read once per request, so filtering by them costs no further query."""
    return sorted({programme for programme, r in staff_roles(user) if role in (None, r)})


def calls_open(at: dt.datetime | None = None) -> QuerySet[Call]:
    """Calls of active programmes that accept applications now, the nearest deadline first."""
    at = at or timezone.now()
    return (
        Call.objects.filter(opens_at__lte=at, deadline__gte=at, programme__is_active=True)
        .select_related("programme", "funding_area")
        .order_by("deadline")
    )


def eligibility_reasons(
    call: Call,
    *,
    applicant_kind: str,
    area_id: int | None,
    started: bool,
    amount: Decimal,
) -> list[str]:
    """Why a project does not fit a call, in plain German; empty if it fits."""
    programme = call.programme
    reasons = []
    if applicant_kind not in programme.eligible_applicant_kinds:
        kind = ApplicantKind(applicant_kind).label if applicant_kind in ApplicantKind.values else ""
        reasons.append(
            _("%(kind)s kann bei diesem Programm keinen Antrag stellen.") % {"kind": kind}
        )
    if area_id is None and programme.areas.exists():
        reasons.append(_("Das Projekt muss im Gebiet des Programms stattfinden."))
    if started:
        reasons.append(
            _(
                "Ein Projekt, das schon begonnen hat, kann nicht mehr gefördert werden. Der "
                "Antrag muss vor dem Beginn gestellt sein."
            )
        )
    if amount > call.cap:
        reasons.append(
            _("Sie können höchstens %(cap)s beantragen.") % {"cap": formatting.eur(call.cap)}
        )
    if amount < programme.min_amount_per_application:
        reasons.append(
            _("Sie müssen mindestens %(min)s beantragen.")
            % {"min": formatting.eur(programme.min_amount_per_application)}
        )
    return reasons


def kinds_not_eligible(programme: Programme, kinds: set[str]) -> bool:
    """True if none of the user's applicant profiles may apply to ``programme``."""
    return bool(kinds) and not kinds & set(programme.eligible_applicant_kinds)
