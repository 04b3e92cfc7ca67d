"""The list of receipts (Belegliste) of a proof of use as a spreadsheet for the case worker;
the same list is shown on the proof check (templates/grants/casework/_receipts.html)."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.types import AuthenticatedHttpRequest
from grants.selectors.proof import receipt_list_report
from grants.views.casework.access import application_for_case_worker
from reporting import writers


@login_required
@require_GET
def receipts_xlsx(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    app = application_for_case_worker(request, pk)
    now = timezone.now()
    report = receipt_list_report(app, actor=request.user, at=now)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    writers.write(report, "xlsx", target)
    target.seek(0)
    number = (app.file_number or str(app.pk)).replace("/", "-")
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"Belegliste-{number}-{timezone.localtime(now):%Y-%m-%d}.xlsx",
        content_type=writers.CONTENT_TYPES["xlsx"],
    )
