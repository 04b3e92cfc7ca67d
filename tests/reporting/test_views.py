import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from grants.models import Payout, StatusChange
from reporting import services
from reporting.models import ExportBatch
from tests.factories import PASSWORD
from tests.reporting.conftest import ordered_payout, running_application

PAGES = [
    ("reporting:overview", {}),
    ("reporting:payouts", {}),
    ("reporting:batches", {}),
    ("reporting:reports", {}),
]


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_it_sends_anonymous_users_to_the_login(client, world, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
@pytest.mark.parametrize(
    "persona",
    ["owner", "colleague", "outsider", "case_worker", "second_case_worker", "foreign_case_worker"],
)
def test_it_refuses_everyone_but_finance(client, world, name, kwargs, persona):
    response = login(client, getattr(world, persona)).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_finance_sees_the_pages(client, world, name, kwargs):
    response = login(client, world.finance).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert b'<main id="main"' in response.content


def test_case_worker_cannot_export(client, world):
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("100.00"))
    response = login(client, world.case_worker).post(reverse("reporting:payouts_export"))
    assert response.status_code == 403
    payout.refresh_from_db()
    assert payout.state == Payout.State.ORDERED


def test_export_requires_post(client, world):
    response = login(client, world.finance).get(reverse("reporting:payouts_export"))
    assert response.status_code == 405


def test_the_payout_list_shows_each_ordered_payout_in_one_row(client, world):
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("1234.56"), due_date=date(2026, 3, 2))
    page = login(client, world.finance).get(reverse("reporting:payouts")).content.decode()
    row = page[page.index(f">{app.file_number}</th>") :].split("</tr>")[0]
    cells = [cell.split(">", 1)[1].split("<")[0] for cell in row.split("<td")[1:]]
    assert cells == [
        app.applicant.name,
        str(payout.get_kind_display()),
        str(payout.fiscal_year),
        "02.03.2026",
        "1.234,56 €",
    ]


def test_finance_exports_downloads_again_and_marks_paid(client, world):
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("1234.56"))
    client = login(client, world.finance)

    listing = client.get(reverse("reporting:payouts"))
    assert app.file_number in listing.content.decode()

    response = client.post(reverse("reporting:payouts_export"), {"file_format": "xlsx"})
    batch = ExportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:batch", args=[batch.pk])
    payout.refresh_from_db()
    assert payout.state == Payout.State.EXPORTED
    detail = client.get(response["Location"])
    assert batch.reference in detail.content.decode()

    download = client.get(reverse("reporting:batch_download", args=[batch.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    batch.file.open("rb")
    assert content == batch.file.read()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[1][6] == app.file_number

    today = timezone.localdate()
    response = client.post(
        reverse("reporting:batch_paid", args=[batch.pk]), {"paid_on": today.isoformat()}
    )
    assert response.status_code == 302
    payout.refresh_from_db()
    assert payout.state == Payout.State.PAID
    assert payout.paid_on == today
    assert StatusChange.objects.filter(payout=payout, transition="mark_paid").exists()


def test_finance_marks_one_payout_paid(client, world):
    app = running_application(world)
    first = ordered_payout(app, world, Decimal("100.00"))
    second = ordered_payout(app, world, Decimal("200.00"))
    batch = services.payout_orders_export(actor=world.finance)
    response = login(client, world.finance).post(
        reverse("reporting:payout_paid", args=[first.pk]),
        {"paid_on": timezone.localdate().isoformat(), "batch": batch.pk},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (Payout.State.PAID, Payout.State.EXPORTED)


def test_paid_date_in_the_future_is_refused(client, world):
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("100.00"))
    batch = services.payout_orders_export(actor=world.finance)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    login(client, world.finance).post(
        reverse("reporting:batch_paid", args=[batch.pk]), {"paid_on": tomorrow.isoformat()}
    )
    payout.refresh_from_db()
    assert payout.state == Payout.State.EXPORTED


def test_reexport_needs_a_reason_and_is_logged(client, world):
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("100.00"))
    batch = services.payout_orders_export(actor=world.finance)
    client = login(client, world.finance)

    client.post(
        reverse("reporting:batch_reexport", args=[batch.pk]), {"reason": " ", "file_format": "csv"}
    )
    assert ExportBatch.objects.count() == 1

    response = client.post(
        reverse("reporting:batch_reexport", args=[batch.pk]),
        {"reason": "Datei bei der Kasse nicht lesbar", "file_format": "csv"},
    )
    again = ExportBatch.objects.exclude(pk=batch.pk).get()
    assert response["Location"] == reverse("reporting:batch", args=[again.pk])
    assert again.kind == ExportBatch.Kind.REEXPORT
    assert again.original == batch
    assert StatusChange.objects.get(payout=payout, transition="reexport").reason == (
        "Datei bei der Kasse nicht lesbar"
    )


def test_finance_of_another_programme_sees_nothing_of_this_one(client, two_programmes):
    a, b = two_programmes.a, two_programmes.b
    app_a = running_application(a)
    ordered_payout(app_a, a, Decimal("100.00"))
    app_b = running_application(b)
    ordered_payout(app_b, b, Decimal("200.00"))
    batch_a = services.payout_orders_export(actor=a.finance)

    client = login(client, b.finance)
    listing = client.get(reverse("reporting:payouts")).content.decode()
    assert app_b.file_number in listing
    assert app_a.file_number not in listing
    assert batch_a.reference not in client.get(reverse("reporting:batches")).content.decode()
    assert client.get(reverse("reporting:batch", args=[batch_a.pk])).status_code == 404
    assert client.get(reverse("reporting:batch_download", args=[batch_a.pk])).status_code == 404
    response = client.post(
        reverse("reporting:batch_paid", args=[batch_a.pk]),
        {"paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    payout_a = Payout.objects.get(application=app_a)
    response = client.post(
        reverse("reporting:payout_paid", args=[payout_a.pk]),
        {"paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    payout_a.refresh_from_db()
    assert payout_a.state == Payout.State.EXPORTED


@pytest.mark.parametrize("report", ["budget", "register", "statistics"])
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_finance_downloads_reports(client, world, report, file_format):
    app = running_application(world)
    ordered_payout(app, world, Decimal("100.00"))
    response = login(client, world.finance).get(
        reverse("reporting:report_download", args=[report]), {"format": file_format}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{file_format}"')


def test_case_worker_cannot_download_reports(client, world):
    response = login(client, world.case_worker).get(
        reverse("reporting:report_download", args=["budget"])
    )
    assert response.status_code == 403


def test_the_payout_list_shows_fiscal_year_date_and_amount_in_german_notation(client, world):
    payout = ordered_payout(running_application(world), world, Decimal("1234.50"))

    html = login(client, world.finance).get(reverse("reporting:payouts")).content.decode()

    year = str(payout.fiscal_year)
    assert f">{year}</td>" in html
    assert f"{year[0]}.{year[1:]}" not in html, "a year is not a number with a thousands dot"
    assert payout.due_date.strftime("%d.%m.%Y") in html
    assert "1.234,50 €" in html
