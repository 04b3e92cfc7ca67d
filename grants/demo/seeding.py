"""Replays the stories: configuration and people first, then every step of every story in
calendar order, each with the clock set to the moment it took place.

The services judge dates against today (a call must be open, a project may not have started
when it is submitted, money cannot be paid tomorrow), so each step runs inside
``time_machine.travel(moment)``: ``timezone.now()``, ``localdate()``, field defaults and
``auto_now_add`` all read that moment, and every rule is applied as it would have been on that
day. Replaying all steps in calendar order makes file numbers (WIR2-2023-0001 …) and budget
bookings follow the calendar. The real clock is back as soon as a step ends, however it ends.

Idempotent: configuration rows are looked up by their natural keys and left alone when they
exist; an application that exists (same applicant, same title) is skipped with its history.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import time_machine
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from grants.demo.base_rates import ensure_base_rates
from grants.demo.calls import seed_calls
from grants.demo.committees import seed_committees
from grants.demo.people import seed_people
from grants.demo.programmes import ensure_budgets, seed_programmes
from grants.demo.records import SeedResult
from grants.demo.stories import all_stories
from grants.models import Application, Budget, Payout, RepaymentClaim


@transaction.atomic
def seed() -> SeedResult:
    """Creates what is missing of the demo; one transaction, so a failure leaves nothing."""
    result = SeedResult()
    today = timezone.localdate()
    started = timezone.now()
    programmes = seed_programmes(result)
    ensure_base_rates(result, today)
    cast = seed_people(result, programmes)
    cast.meeting_places = seed_committees(result, programmes)
    seed_calls(result, cast, today)

    pending = []
    for story in all_stories(today):
        if Application.objects.filter(
            applicant=cast.applicants[story.applicant], title=story.title
        ).exists():
            result.skipped += 1
            continue
        # The budgets its notice books, and those of the project's period: an application the
        # demo leaves undecided can then be decided in the demo.
        start, end = story.period
        years = story.budget_years | set(range(start.year, end.year + 1))
        ensure_budgets(result, programmes[story.programme], years)
        pending.append(story)

    queue = sorted(
        (step.at, s_index, t_index, story, step)
        for s_index, story in enumerate(pending)
        for t_index, step in enumerate(story.steps)
    )
    for at, _s, _t, story, step in queue:
        if at >= started:
            raise ValueError(f"„{story.title}“: {step.label} am {at:%d.%m.%Y} liegt in der Zukunft")
        try:
            with time_machine.travel(at, tick=True):
                step.run(story, cast)
        except Exception as exc:
            exc.add_note(f"Demo: „{story.title}“, Schritt {step.label} am {at:%d.%m.%Y}")
            raise

    for story in pending:
        state = story.app().state
        if state != story.expect:
            raise AssertionError(f"„{story.title}“ endet in {state}, erwartet {story.expect}")
    result.created = len(pending)
    return result


def summary() -> dict[str, Any]:
    """Figures for the command's closing report."""
    return {
        "applications": Counter(Application.objects.values_list("state", flat=True)),
        "payouts": Counter(Payout.objects.values_list("state", flat=True)),
        "claims": Counter(RepaymentClaim.objects.values_list("state", flat=True)),
        "budgets": list(
            Budget.objects.select_related("programme", "funding_area").annotate(
                ledger=Sum("entries__amount")
            )
        ),
    }
