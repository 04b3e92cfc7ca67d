"""Reads about payouts: the commitment per fiscal year a payout is booked against, what is
still open of it, and the payouts a proof check must settle first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from core.formatting import eur
from grants.models import ZERO, Application, BudgetEntry, Payout, money


def commitment_by_year(application: Application) -> dict[int, Decimal]:
    """The application's commitment per fiscal year: the ledger's commitments less what was
    released. Repayments are money coming back, not a smaller commitment to pay from."""
    rows = (
        BudgetEntry.objects.filter(
            application=application,
            kind__in=[BudgetEntry.Kind.COMMITMENT, BudgetEntry.Kind.RELEASE],
        )
        .values("budget__fiscal_year")
        .annotate(net=Sum("amount"))
    )
    return {row["budget__fiscal_year"]: money(row["net"]) for row in rows if row["net"]}


def payouts_by_year(application: Application) -> dict[int, Decimal]:
    """Paid or on its way (every payout not cancelled), per fiscal year it is booked on."""
    rows = (
        application.payouts.exclude(state=Payout.State.CANCELLED)
        .values("fiscal_year")
        .annotate(total=Sum("amount"))
    )
    return {row["fiscal_year"]: money(row["total"]) for row in rows}


@dataclass(frozen=True)
class YearRoom:
    fiscal_year: int | None
    committed: Decimal
    booked: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.committed - self.booked)


def payout_year_room(application: Application, due_date: dt.date) -> YearRoom:
    """The fiscal year a payout due on ``due_date`` is booked on, and what is left of it.

    That is the year of the due date when the commitment has a share in it. A payout after
    the last year with a share (the final payment after the proof of use) is booked on that
    last year: its rest is carried over (Haushaltsrest). Money committed for a later year is
    never paid early: a payout before the first year with a share has no year (``None``)."""
    shares = commitment_by_year(application)
    years = sorted(year for year, amount in shares.items() if amount > 0)
    year: int | None = due_date.year
    if year not in shares:
        year = years[-1] if years and due_date.year > years[-1] else None
    if year is None:
        return YearRoom(None, ZERO, ZERO)
    return YearRoom(year, shares[year], payouts_by_year(application).get(year, ZERO))


@dataclass(frozen=True)
class OpenPayoutHint:
    payout: Payout
    text: str


def open_payout_hints(payouts: Iterable[Payout]) -> list[OpenPayoutHint]:
    """Each of an application's ``payouts`` still in work (the case file has them loaded),
    named with what the case worker must do before the proof of use can be accepted (the
    proof check shows these instead of a bare refusal)."""
    hints = []
    open_payouts = [payout for payout in payouts if payout.state in Payout.OPEN_STATES]
    for payout in sorted(open_payouts, key=lambda payout: (payout.due_date, payout.pk)):
        if payout.state == Payout.State.EXPORTED:
            todo = _("Bitte die Zahlung der Kasse abwarten und als ausgezahlt erfassen.")
        elif payout.state == Payout.State.ORDERED:
            todo = _(
                "Bitte an die Kasse übergeben und als ausgezahlt erfassen, oder stornieren, "
                "wenn das Geld nach dem Nachweis nicht mehr zusteht."
            )
        else:
            todo = _(
                "Bitte zeichnen und anordnen, wenn das Geld für Ausgaben im Förderzeitraum "
                "gebraucht wurde, sonst mit Begründung stornieren. Was danach noch zusteht, "
                "wird nach der Prüfung als Schlusszahlung ausgezahlt."
            )
        hints.append(
            OpenPayoutHint(
                payout=payout,
                text=_(
                    "Die Auszahlung über %(amount)s, fällig am %(due)s, ist noch offen "
                    "(„%(state)s“). %(todo)s"
                )
                % {
                    "amount": eur(payout.amount),
                    "due": f"{payout.due_date:%d.%m.%Y}",
                    "state": payout.get_state_display(),
                    "todo": todo,
                },
            )
        )
    return hints
