"""Every figure of the budget report, the register and the statistics against the database,
to the cent; and the files say the same as the figures."""

import io
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from python_calamine import CalamineWorkbook

from grants.models import (
    Application,
    ApplicationState,
    Budget,
    BudgetEntry,
    FieldOfAction,
    FinancingKind,
    FinancingLine,
    Payout,
)
from grants.services.proof import (
    application_submit_proof,
    proof_check_create,
    repayment_claim_create,
    repayment_claim_settle,
)
from reporting import reports, selectors, writers
from reporting.selectors import RegisterFilters
from tests.factories import advance, draft, pay
from tests.reporting.conftest import ordered_payout, running_application

S = ApplicationState


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def scenario(world):
    """A paid and an ordered payout, an approval without payouts, a repayment settled, a
    rejection-free submitted application and a draft (which no report may show)."""
    social = FieldOfAction.objects.create(programme=world.programme, code="soz", name="Soziales")
    education = FieldOfAction.objects.get(programme=world.programme, code="bildung")

    paid_app = running_application(world)
    paid_app.fields_of_action.set([education])
    pay(paid_app, world, Decimal("3000.33"))
    ordered_payout(paid_app, world, Decimal("1000.01"))

    approved = advance(
        draft(world, costs=Decimal("5000.00"), own=Decimal("1000.00")), world, S.FINAL
    )

    repaid = running_application(world, costs=Decimal("12500.00"), own=Decimal("2500.00"))
    repaid.fields_of_action.set([education, social])
    pay(repaid, world, Decimal("10000.00"))
    advance(repaid, world, S.PROOF_DUE)
    application_submit_proof(
        application=repaid,
        actor=world.owner,
        report="Weniger Kurse als geplant.",
        actual_costs={line.pk: Decimal("5000.00") for line in repaid.cost_lines.all()},
        actual_financing={
            line.pk: line.amount
            for line in repaid.financing_lines.exclude(category__kind=FinancingKind.GRANT)
        },
    )
    proof_check_create(
        application=repaid, actor=world.case_worker, depth="quick", findings="Geprüft."
    )
    repaid.refresh_from_db()
    claim = repayment_claim_create(
        application=repaid,
        actor=world.case_worker,
        reason="Minderausgaben",
        due_date=timezone.localdate() + timezone.timedelta(days=30),
    )
    repayment_claim_settle(claim=claim, actor=world.case_worker, repaid_on=timezone.localdate())

    submitted = advance(draft(world), world, S.SUBMITTED)
    draft(world)  # never in any report
    return {"paid": paid_app, "approved": approved, "repaid": repaid, "submitted": submitted}


def test_budget_lines_equal_the_database_to_the_cent(world):
    scenario(world)
    lines = selectors.budget_lines([world.programme.pk])

    budgets = Budget.objects.filter(programme=world.programme)
    assert len(lines) == budgets.count() == 2
    for line in lines:
        budget = budgets.get(fiscal_year=line.fiscal_year)
        ledger = BudgetEntry.objects.filter(budget=budget)
        assert line.amount == budget.amount
        assert line.committed == budget.committed == _money(ledger.aggregate(s=Sum("amount"))["s"])
        assert line.repaid == -_money(
            ledger.filter(kind=BudgetEntry.Kind.REPAYMENT).aggregate(s=Sum("amount"))["s"]
        )
        assert line.paid == _money(
            Payout.objects.filter(
                state=Payout.State.PAID, fiscal_year=budget.fiscal_year
            ).aggregate(s=Sum("amount"))["s"]
        )
        assert line.available == budget.available
    assert sum(line.paid for line in lines) == Decimal("13000.33")
    assert sum(line.repaid for line in lines) == Decimal("5000.00")


def test_budget_breakdown_by_field_of_action(world):
    apps = scenario(world)
    lines = selectors.budget_breakdown([world.programme.pk], "fields_of_action")
    committed: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    for line in lines:
        committed[line.label] = committed.get(line.label, Decimal(0)) + line.committed
        paid[line.label] = paid.get(line.label, Decimal(0)) + line.paid

    def ledger(*applications):
        return _money(
            BudgetEntry.objects.filter(application__in=applications).aggregate(s=Sum("amount"))["s"]
        )

    assert committed["Bildung"] == ledger(apps["paid"], apps["repaid"])
    assert committed["Soziales"] == ledger(apps["repaid"])
    assert committed["ohne Zuordnung"] == ledger(apps["approved"])
    assert paid == {
        "Bildung": Decimal("13000.33"),
        "Soziales": Decimal("10000.00"),
        "ohne Zuordnung": Decimal("0.00"),
    }


def _sheet(report, name):
    target = io.BytesIO()
    writers.write_xlsx(report, target)
    return (
        CalamineWorkbook.from_filelike(io.BytesIO(target.getvalue()))
        .get_sheet_by_name(name)
        .to_python()
    )


def test_budget_report_file_says_what_the_database_says(world):
    scenario(world)
    report = reports.budget_report(
        [world.programme], fiscal_year=None, actor=world.finance, filters={}
    )
    rows = _sheet(report, "Budget nach Förderbereich")
    assert rows[0] == [
        "Haushaltsjahr",
        "Programm",
        "Programmname",
        "Förderbereich",
        "Ansatz",
        "Gebunden",
        "Ausgezahlt",
        "Erstattet",
        "Verfügbar",
    ]
    totals = rows[-1]
    assert totals[0] == "Summe"
    budgets = Budget.objects.filter(programme=world.programme)
    assert _money(totals[4]) == _money(budgets.aggregate(s=Sum("amount"))["s"])
    assert _money(totals[5]) == _money(budgets.aggregate(s=Sum("committed"))["s"])
    assert _money(totals[6]) == Decimal("13000.33")
    assert _money(totals[7]) == Decimal("5000.00")
    assert _money(totals[8]) == _money(totals[4]) - _money(totals[5])


def test_register_lists_every_submitted_application_with_its_figures(world):
    apps = scenario(world)
    visible = Application.objects.exclude(state=S.DRAFT)
    rows = list(reports.register_rows([world.programme.pk], RegisterFilters()))

    assert sorted(r[0] for r in rows) == sorted(visible.values_list("file_number", flat=True))
    assert sum(r[14] for r in rows) == _money(
        FinancingLine.objects.filter(
            application__in=visible, category__kind=FinancingKind.GRANT
        ).aggregate(s=Sum("amount"))["s"]
    )
    assert sum(r[15] or 0 for r in rows) == _money(visible.aggregate(s=Sum("approved_amount"))["s"])
    assert sum(r[16] for r in rows) == Decimal("13000.33")
    by_number = {r[0]: r for r in rows}
    assert by_number[apps["repaid"].file_number][9] == "Bildung, Soziales"
    assert by_number[apps["submitted"].file_number][7] == "Eingereicht – formelle Prüfung"

    only_submitted = list(
        reports.register_rows([world.programme.pk], RegisterFilters(state=S.SUBMITTED))
    )
    assert [r[0] for r in only_submitted] == [apps["submitted"].file_number]
    social = FieldOfAction.objects.get(code="soz")
    in_social = list(
        reports.register_rows([world.programme.pk], RegisterFilters(field_of_action_id=social.pk))
    )
    assert [r[0] for r in in_social] == [apps["repaid"].file_number]
    next_year = timezone.localdate().year + 1
    assert list(reports.register_rows([world.programme.pk], RegisterFilters(year=next_year))) == []


def test_statistics_count_and_sum_per_category(world):
    scenario(world)
    figures = selectors.statistics([world.programme.pk])
    year = timezone.localdate().year
    visible = Application.objects.exclude(state=S.DRAFT)

    by_state = figures.by["state"]
    assert sum(c.count for c in by_state.values()) == visible.count() == 4
    assert by_state[(year, "Projekt läuft")].count == 1
    assert by_state[(year, "Projekt läuft")].paid == Decimal("3000.33")
    assert sum(c.approved for c in by_state.values()) == _money(
        visible.aggregate(s=Sum("approved_amount"))["s"]
    )
    fields = figures.by["fields_of_action"]
    assert fields[(year, "Bildung")].count == 2
    assert fields[(year, "Soziales")].count == 1
    assert fields[(year, "Bildung")].paid == Decimal("13000.33")
    assert fields[(year, "ohne Zuordnung")].count == 2
    kinds = figures.by["applicant_kind"]
    assert kinds[(year, "Verein")].count == 4

    report = reports.statistics_report([world.programme], year=None, actor=None, filters={})
    rows = _sheet(report, "nach Status")
    assert rows[0] == [
        "Jahr der Einreichung",
        "Status",
        "Anzahl Anträge",
        "Beantragt",
        "Bewilligt",
        "Ausgezahlt",
    ]
    assert rows[-1][0] == "Summe" and rows[-1][2] == 4
    assert _money(rows[-1][5]) == Decimal("13000.33")
