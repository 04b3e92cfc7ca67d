"""The list of receipts (Belegliste) in the proof check and as a spreadsheet: line by line
against the plan, for the programme's case workers only."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from grants.models import ApplicationState, CostCategory, CostLine
from grants.selectors.proof import receipt_list
from grants.services.proof import receipt_add
from tests.casework_pages import file_url, step_url
from tests.factories import advance, draft

S = ApplicationState


@pytest.fixture
def proof(world):
    """Proof of use submitted: plan 10,000 € fees and 1,500 € printing; three receipts on the
    fees (one typed like a formula), none on the printing."""
    app = advance(draft(world), world, S.PROOF_DUE)
    fees = app.cost_lines.get()
    printing = CostLine.objects.create(
        application=app,
        category=CostCategory.objects.filter(programme=world.programme).exclude(code="fees")[0],
        description="Flyer",
        amount=Decimal("1500.00"),
    )
    day = timezone.localdate() - dt.timedelta(days=10)
    for payee, description, amount in [
        ("Anna Beispiel", "Kursleitung März", Decimal("4000.00")),
        ("Bernd Muster", "Kursleitung April", Decimal("3500.50")),
        ('=HYPERLINK("http://x")', "=1+1", Decimal("0.25")),
    ]:
        receipt_add(
            application=app,
            actor=world.owner,
            cost_line=fees,
            date=day,
            payee=payee,
            description=description,
            amount=amount,
        )
    advance(app, world, S.PROOF_SUBMITTED)
    return app, fees, printing


def test_receipts_are_grouped_by_cost_line_with_plan_and_sum(proof):
    app, fees, printing = proof
    receipts = receipt_list(app)
    assert [line.cost_line for line in receipts.lines] == [fees, printing]
    first, second = receipts.lines
    assert [r.number for r in first.receipts] == [1, 2, 3]
    assert (first.planned, first.total, first.difference) == (
        Decimal("10000.00"),
        Decimal("7500.75"),
        Decimal("-2499.25"),
    )
    assert (second.total, second.difference) == (Decimal("0.00"), Decimal("-1500.00"))
    assert (receipts.planned, receipts.total, receipts.count) == (
        Decimal("11500.00"),
        Decimal("7500.75"),
        3,
    )


def test_the_proof_check_shows_the_receipts_line_by_line(client, world, proof):
    app, _fees, _printing = proof
    client.force_login(world.case_worker)
    page = client.get(step_url(app, "nachweispruefung")).content.decode()
    assert "Belegliste" in page
    assert "Honorare Kursleitung" in page and "Flyer" in page
    assert "Kursleitung März" in page and "4.000,00 €" in page
    assert "7.500,75 €" in page  # the fees line's sum
    assert "Keine Belege zu dieser Position." in page
    assert "=HYPERLINK(&quot;http://x&quot;)" in page  # shown as text, escaped
    assert f"/sachbearbeitung/antraege/{app.pk}/belegliste.xlsx" in page
    # The file shows the same list.
    assert "Kursleitung April" in client.get(file_url(app)).content.decode()


def test_the_export_reads_back_with_typed_cells_and_totals_as_values(client, world, proof):
    app, _fees, _printing = proof
    client.force_login(world.case_worker)
    response = client.get(f"/sachbearbeitung/antraege/{app.pk}/belegliste.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Belegliste", "Je Ausgabenposition", "Protokoll"]
    rows = list(book["Belegliste"].iter_rows(values_only=True))
    assert rows[0] == ("Beleg-Nr.", "Datum", "Ausgabenposition", "Empfänger*in", "Zweck", "Betrag")
    assert rows[1][0] == 1 and rows[1][3] == "Anna Beispiel"
    assert rows[1][5] == 4000
    # Typed text that looks like a formula stays text.
    assert rows[3][3] == '=HYPERLINK("http://x")' and rows[3][4] == "=1+1"
    assert book["Belegliste"].cell(row=4, column=4).data_type == "s"
    assert rows[-1][0] == "Summe" and rows[-1][5] == pytest.approx(7500.75)
    amount_cell = book["Belegliste"].cell(row=2, column=6)
    assert amount_cell.number_format == '#,##0.00 "€"'
    assert book["Belegliste"].cell(row=2, column=2).number_format == "DD.MM.YYYY"
    per_line = list(book["Je Ausgabenposition"].iter_rows(values_only=True))
    assert per_line[1][1:] == (10000, pytest.approx(7500.75), pytest.approx(-2499.25), 3)
    assert per_line[2][1:] == (1500, 0, -1500, 0)
    assert per_line[-1][0] == "Summe" and per_line[-1][1:] == (
        11500,
        pytest.approx(7500.75),
        pytest.approx(-3999.25),
        3,
    )
    protocol = dict(book["Protokoll"].iter_rows(min_row=2, values_only=True))
    assert protocol["Aktenzeichen"] == app.file_number


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("case_worker", 200),
        ("second_case_worker", 200),
        ("finance", 403),
        ("foreign_case_worker", 404),
        ("owner", 404),
        ("outsider", 404),
    ],
)
def test_the_export_is_for_the_programmes_case_workers(client, world, proof, persona, status):
    app, _fees, _printing = proof
    client.force_login(getattr(world, persona))
    response = client.get(f"/sachbearbeitung/antraege/{app.pk}/belegliste.xlsx")
    assert response.status_code == status


def test_a_receipt_is_entered_with_its_file_which_staff_open_from_the_proof_check(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from grants.models import DocumentOpening, Receipt

    app = advance(draft(world), world, S.PROOF_DUE)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.force_login(world.owner)
    fields = {
        "cost_line": app.cost_lines.get().pk,
        "date": (timezone.localdate() - dt.timedelta(days=10)).isoformat(),
        "payee": "Druckerei Hahn",
        "description": "Flyer",
        "amount": "120,00",
    }
    bad = client.post(
        f"/antraege/{app.pk}/verwendungsnachweis/belege/",
        {**fields, "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\x00" * 64)},
    )
    assert bad.status_code == 302 and not Receipt.objects.exists()
    client.post(
        f"/antraege/{app.pk}/verwendungsnachweis/belege/",
        {**fields, "file": SimpleUploadedFile("rechnung.pdf", pdf)},
    )
    receipt = Receipt.objects.get()
    assert (receipt.original_name, receipt.content_type) == ("rechnung.pdf", "application/pdf")
    assert "rechnung.pdf" not in receipt.file.name
    advance(app, world, S.PROOF_SUBMITTED)
    client.force_login(world.case_worker)
    page = client.get(step_url(app, "nachweispruefung")).content.decode()
    url = f"/antraege/{app.pk}/dokumente/beleg/{receipt.pk}/"
    assert url in page
    assert client.get(url).status_code == 200
    assert DocumentOpening.objects.get().file_name == "rechnung.pdf"
