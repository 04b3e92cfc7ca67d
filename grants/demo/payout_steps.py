"""The payout steps of a demo story after the payout is created: certified, ordered by the
second case worker, exported and paid by finance, one payout at a time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from applicants.services import applicant_update
from grants.models import ZERO, Application
from grants.selectors.payouts import payout_year_room
from grants.services import payouts
from grants.services.decisions import suggest_year_split

if TYPE_CHECKING:
    from grants.demo.story import Cast, Story


def certify(story: Story, cast: Cast, number: int) -> None:
    payouts.payout_certify(payout=story.payout_obj(number), actor=story.case_worker(cast))


def order(story: Story, cast: Cast, number: int) -> None:
    payouts.payout_order(
        payout=story.payout_obj(number), actor=story.case_worker(cast, second=True)
    )


def export(story: Story, cast: Cast, number: int) -> None:
    # One payout at a time: the finance screen's export takes every ordered payout of the
    # programme, and other stories leave some ordered on purpose.
    payouts.payout_mark_exported(
        payout=story.payout_obj(number),
        actor=cast.finance,
        batch_reference=f"AO-{timezone.localdate():%Y%m%d}",
    )


def mark_paid(story: Story, cast: Cast, number: int) -> None:
    payouts.payout_mark_paid(
        payout=story.payout_obj(number), actor=cast.finance, paid_on=timezone.localdate()
    )


def change_bank_details(story: Story, cast: Cast, iban: str, bic: str) -> None:
    """The owner enters a new account in the profile: open payouts go back to certification."""
    applicant_update(
        applicant=story.app().applicant, actor=story.owner(cast), data={"iban": iban, "bic": bic}
    )


def remaining(app: Application) -> Decimal:
    ceiling = app.justified_amount if app.justified_amount is not None else app.approved_amount
    return ceiling - app.paid_or_pending_amount


def year_amounts(
    granted: Decimal,
    funding: tuple[dt.date, dt.date],
    plan: list[tuple[dt.date, Decimal | None]],
    max_years: int | None = None,
) -> dict[int, Decimal]:
    """The notice's amounts per fiscal year, as a case worker sets them who knows the payment
    plan: each payout the story names on the year it falls due (within the funding period),
    the rest on the period's last year, where the final payment is booked. Payouts follow
    the commitment by year, so a split by project days alone would not carry the plan. Where
    the programme allows fewer fiscal years than the period touches, the later years' shares
    go to the last allowed year (a payout after it is booked there, as the services do)."""
    first, last = funding[0].year, funding[1].year
    if max_years:
        last = min(last, first + max_years - 1)
    split: dict[int, Decimal] = {}
    for due, amount in plan:
        if amount:
            year = min(max(due.year, first), last)
            split[year] = split.get(year, ZERO) + amount
    named = sum(split.values(), ZERO)
    if not split or named > granted:
        return suggest_year_split(granted, *funding, max_years=max_years)
    split[last] = split.get(last, ZERO) + granted - named
    return {year: value for year, value in sorted(split.items()) if value > 0}


def payable(app: Application, wanted: Decimal | None, due: dt.date) -> Decimal:
    """What a story's payout may be: the amount it names (or all that remains), but no more
    than is left of the commitment of the fiscal year it is booked on, as the services
    demand. The stories name round sums; the year shares follow the funding period's days."""
    value = remaining(app) if wanted is None else wanted
    return min(value, payout_year_room(app, due).remaining)
