"""Proof of use: actual costs and financing against the plan, the report, the list of
receipts, and the documents that go with the proof.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused
from grants.forms.applicant import AttachmentForm, ProofForm, ReceiptForm, UnplannedIncomeForm
from grants.models import ZERO, DocumentType
from grants.services.applications import attachment_add
from grants.services.proof import (
    application_save_proof,
    application_submit_proof,
    receipt_add,
    receipt_remove,
    unplanned_income_add,
    unplanned_income_remove,
)
from grants.views.applicant.access import _application, _data, _refused
from grants.views.applicant.common import PROOF_STATES, S, _open_request

# Cost lines may exceed their plan by this share before the deviation needs explaining.
DEVIATION_PERCENT = Decimal("20")


@dataclass
class ProofRow:
    label: str
    category: str
    planned: Decimal
    actual: Decimal | None

    @property
    def deviation_percent(self) -> Decimal | None:
        if self.actual is None or not self.planned:
            return None
        return ((self.actual - self.planned) * 100 / self.planned).quantize(Decimal("0.1"))

    @property
    def flagged(self) -> bool:
        deviation = self.deviation_percent
        return deviation is not None and abs(deviation) > DEVIATION_PERCENT


def _proof_rows(form: ProofForm) -> list[tuple[ProofRow, object]]:
    rows = []
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    for line, field in form.cost_rows():
        actual = data.get(f"cost_{line.pk}", line.actual_amount) if data else line.actual_amount
        rows.append((ProofRow(line.description, line.category.name, line.amount, actual), field))
    return rows


def save_proof(application, actor, form: ProofForm) -> None:
    """The proof of use as a draft, from its page or from its autosave."""
    application_save_proof(
        application=application,
        actor=actor,
        report=form.cleaned_data["report"],
        actual_costs=form.actual_costs(),
        actual_financing=form.actual_financing(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def proof(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if application.state not in PROOF_STATES and application.state not in (
        S.PROOF_SUBMITTED,
        S.PROOF_ACCEPTED,
    ):
        raise Http404
    editable = application.state in PROOF_STATES
    form = ProofForm(_data(request), application=application)
    receipt_form = ReceiptForm(application=application)
    attachment_form = AttachmentForm(
        document_types=application.programme.document_types.filter(
            stage=DocumentType.Stage.PROOF_OF_USE
        )
    )
    refusal: list[str] = []
    if request.method == "POST" and editable and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            save_proof(application, request.user, form)
            if action == "submit":
                application_submit_proof(
                    application=application,
                    actor=request.user,
                    report=form.cleaned_data["report"],
                    actual_costs={k: v for k, v in form.actual_costs().items() if v is not None},
                    actual_financing={
                        k: v for k, v in form.actual_financing().items() if v is not None
                    },
                )
        except ActionRefused as exc:
            refusal = _refused(request, exc)
            application.refresh_from_db()
        else:
            if action == "submit":
                messages.success(request, _("Ihr Verwendungsnachweis ist eingereicht."))
                return redirect("portal:detail", pk=pk)
            messages.success(request, _("Ihr Verwendungsnachweis ist als Entwurf gespeichert."))
            return redirect("portal:proof", pk=pk)
    rows = _proof_rows(form)
    return render(
        request,
        "grants/applicant/proof.html",
        {
            "application": application,
            "form": form,
            "rows": rows,
            "any_flagged": any(row.flagged for row, _field in rows),
            "deviation_percent": DEVIATION_PERCENT,
            "receipts": application.receipts.select_related("cost_line"),
            "receipt_total": sum((r.amount for r in application.receipts.all()), ZERO),
            "receipt_form": receipt_form,
            "unplanned_income": application.unplanned_income.all(),
            "income_form": UnplannedIncomeForm(),
            "attachment_form": attachment_form,
            "proof_attachments": application.attachments.filter(
                document_type__stage=DocumentType.Stage.PROOF_OF_USE
            ),
            "editable": editable,
            "refusal": refusal,
            "request_items": _open_request(application),
        },
    )


@login_required
@require_POST
def proof_receipt_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = ReceiptForm(request.POST, request.FILES, application=application)
    if form.is_valid():
        try:
            receipt_add(application=application, actor=request.user, **form.cleaned_data)
        except ActionRefused as exc:
            for message in _refused(request, exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Der Beleg ist in die Liste eingetragen."))
            return redirect(reverse("portal:proof", args=[pk]) + "#belege")
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(reverse("portal:proof", args=[pk]) + "#belege")


@login_required
@require_POST
def proof_income_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = UnplannedIncomeForm(request.POST)
    if form.is_valid():
        try:
            unplanned_income_add(application=application, actor=request.user, **form.cleaned_data)
        except ActionRefused as exc:
            for message in _refused(request, exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Die Einnahme ist eingetragen."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(reverse("portal:proof", args=[pk]) + "#einnahmen")


@login_required
@require_POST
def proof_income_delete(request: AuthenticatedHttpRequest, pk: int, income_pk: int) -> HttpResponse:
    application = _application(request, pk)
    entry = get_object_or_404(application.unplanned_income, pk=income_pk)
    try:
        unplanned_income_remove(income=entry, actor=request.user)
    except ActionRefused as exc:
        for message in _refused(request, exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Die Einnahme ist gelöscht."))
    return redirect(reverse("portal:proof", args=[pk]) + "#einnahmen")


@login_required
@require_POST
def proof_receipt_delete(
    request: AuthenticatedHttpRequest, pk: int, receipt_pk: int
) -> HttpResponse:
    application = _application(request, pk)
    entry = get_object_or_404(application.receipts, pk=receipt_pk)
    try:
        receipt_remove(receipt=entry, actor=request.user)
    except ActionRefused as exc:
        for message in _refused(request, exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Der Beleg ist aus der Liste gelöscht."))
    return redirect(reverse("portal:proof", args=[pk]) + "#belege")


@login_required
@require_POST
def proof_attachment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = AttachmentForm(
        request.POST,
        request.FILES,
        document_types=application.programme.document_types.filter(
            stage=DocumentType.Stage.PROOF_OF_USE
        ),
    )
    if form.is_valid():
        try:
            attachment_add(
                application=application,
                actor=request.user,
                document_type=form.cleaned_data["document_type"],
                upload=form.cleaned_data["file"],
            )
        except ActionRefused as exc:
            for message in _refused(request, exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Die Datei ist hochgeladen."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
    return redirect(reverse("portal:proof", args=[pk]) + "#unterlagen")
