"""``manage.py export`` writes the same rows as the finance area in the browser."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from grants.models import Payout
from reporting.models import ExportBatch
from tests.factories import PASSWORD
from tests.reporting.conftest import ordered_payout, running_application


def _data_sheets(content: bytes) -> dict[str, list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {
        name: book.get_sheet_by_name(name).to_python()
        for name in book.sheet_names
        if name != "Protokoll"  # who and when differ between two runs by design
    }


@pytest.mark.parametrize("report", ["budget", "register", "statistics"])
def test_command_writes_the_same_rows_as_the_web_download(client, world, tmp_path, report):
    app = running_application(world)
    ordered_payout(app, world, Decimal("99.99"))
    output = tmp_path / f"{report}.xlsx"

    call_command("export", report, "--programme", world.programme.code, "--output", str(output))

    assert client.login(email=world.finance.email, password=PASSWORD)
    response = client.get(
        reverse("reporting:report_download", args=[report]),
        {"programme": world.programme.pk, "format": "xlsx"},
    )
    web = b"".join(response.streaming_content)
    assert _data_sheets(output.read_bytes()) == _data_sheets(web)


def test_command_csv_equals_web_csv(client, world, tmp_path):
    running_application(world)
    output = tmp_path / "register.csv"
    call_command("export", "register", "--format", "csv", "--output", str(output))
    assert client.login(email=world.finance.email, password=PASSWORD)
    web = b"".join(
        client.get(
            reverse("reporting:report_download", args=["register"]), {"format": "csv"}
        ).streaming_content
    )
    assert output.read_bytes() == web


def test_payout_orders_command_exports_as_the_web_does(client, world, tmp_path):
    app = running_application(world)
    payout = ordered_payout(app, world, Decimal("1500.00"))
    output = tmp_path / "aa.xlsx"

    call_command("export", "payout-orders", "--user", world.finance.email, "--output", str(output))

    batch = ExportBatch.objects.get()
    payout.refresh_from_db()
    assert payout.state == Payout.State.EXPORTED
    assert batch.created_by == world.finance
    assert client.login(email=world.finance.email, password=PASSWORD)
    web = b"".join(
        client.get(reverse("reporting:batch_download", args=[batch.pk])).streaming_content
    )
    assert output.read_bytes() == web

    # A second web export of fresh payouts has the same layout, row for row.
    second = ordered_payout(app, world, Decimal("1500.00"))
    client.post(reverse("reporting:payouts_export"), {"file_format": "xlsx"})
    web_batch = ExportBatch.objects.exclude(pk=batch.pk).get()
    from_command = _data_sheets(output.read_bytes())["Auszahlungsanordnung"]
    from_web = _data_sheets(web_batch.file.read())["Auszahlungsanordnung"]
    assert from_command[0] == from_web[0]
    assert [row[:6] + row[7:] for row in from_command] == [row[:6] + row[7:] for row in from_web]
    second.refresh_from_db()
    assert second.state == Payout.State.EXPORTED


def test_payout_orders_command_needs_a_finance_user(world, tmp_path):
    app = running_application(world)
    ordered_payout(app, world, Decimal("1.00"))
    with pytest.raises(CommandError):
        call_command("export", "payout-orders", "--output", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError):
        call_command(
            "export",
            "payout-orders",
            "--user",
            world.case_worker.email,
            "--output",
            str(tmp_path / "x.xlsx"),
        )
    assert not ExportBatch.objects.exists()
