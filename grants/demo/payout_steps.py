"""The payout steps of a demo story after the payout is created: certified, ordered by the
second case worker, exported and paid by finance, one payout at a time."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from grants.models import Application
from grants.services import payouts

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


def remaining(app: Application) -> Decimal:
    ceiling = app.justified_amount if app.justified_amount is not None else app.approved_amount
    return ceiling - app.paid_or_pending_amount
