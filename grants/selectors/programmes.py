"""Reads about programmes: which programmes a person works on, which calls are open."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from applicants.models import User
from grants.models import Call, Programme, applicant_kind_refusal, staff_roles


def programmes_for_staff(user: User, role: str | None = None) -> list[int]:
    """Ids of the programmes ``user`` has a staff role in (``role``, if given). From the roles
    read once per request, so filtering by them costs no further query."""
    return sorted({programme for programme, r in staff_roles(user) if role in (None, r)})


def calls_open(at: dt.datetime | None = None) -> QuerySet[Call]:
    """Calls of active programmes that accept applications now, the nearest deadline first."""
    at = at or timezone.now()
    return (
        Call.objects.filter(opens_at__lte=at, deadline__gte=at, programme__is_active=True)
        .select_related("programme")
        .order_by("deadline")
    )


def kinds_not_eligible(programme: Programme, kinds: set[str]) -> bool:
    """True if none of the user's applicant profiles may apply to ``programme``."""
    return bool(kinds) and all(applicant_kind_refusal(programme, kind) for kind in kinds)
