"""Payouts and repayment claims of a file: certify, order, cancel; record a repayment with
interest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.types import AuthenticatedHttpRequest, StrOrPromise
from grants.errors import ActionRefused, ChangedMeanwhile, NotPermitted
from grants.forms import casework as f
from grants.models import (
    Payout,
    RepaymentClaim,
)
from grants.selectors.proof import repayment_interest
from grants.services.base import application_seen
from grants.services.payouts import (
    payout_cancel,
    payout_certify,
    payout_order,
)
from grants.services.proof import (
    repayment_claim_record_repayment,
)
from grants.views.casework.access import application_for_case_worker
from grants.views.casework.file import changed_meanwhile_response, file_context, payout_form_id

# slug: (service, form, what the step did, for the message)
PAYOUT_STEPS: dict[str, tuple[Callable[..., Any], type[forms.Form], StrOrPromise]] = {
    "zeichnen": (
        payout_certify,
        f.PayoutStepForm,
        gettext_lazy("sachlich und rechnerisch richtig gezeichnet"),
    ),
    "anordnen": (payout_order, f.PayoutStepForm, gettext_lazy("angeordnet")),
    "stornieren": (payout_cancel, f.PayoutCancelForm, gettext_lazy("storniert")),
}


@login_required
@require_POST
def payout_step(request: AuthenticatedHttpRequest, payout_id: int, slug: str) -> HttpResponse:
    payout = get_object_or_404(Payout.objects.select_related("application"), pk=payout_id)
    application_for_case_worker(request, payout.application_id)
    if slug not in PAYOUT_STEPS:
        raise Http404
    service, form_class, done = PAYOUT_STEPS[slug]
    form = form_class(request.POST, auto_id=payout_form_id(payout, slug))
    status = 422
    if form.is_valid():
        try:
            service(payout=payout, actor=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            # Refused for this person (four eyes) or by a rule: said in the summary.
            status = 403 if isinstance(refused, NotPermitted) else 422
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Auszahlung über %(amount)s € %(done)s.")
                % {"amount": payout.amount, "done": done},
            )
            return redirect(
                reverse("casework:file", args=[payout.application_id]) + "#auszahlungen"
            )
    # The file again, with the summary on top and this payout's form as typed.
    app = application_for_case_worker(request, payout.application_id)
    context = file_context(request, app)
    context["payout_form"] = form
    if slug == "stornieren":
        for row in context["payouts"]:
            if row.pk == payout.pk:
                row.cancel_form = form
    return render(request, "grants/casework/file.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def repayment_view(request: AuthenticatedHttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(RepaymentClaim.objects.select_related("application"), pk=claim_id)
    app = application_for_case_worker(request, claim.application_id)
    form = f.RepaymentForm(request.POST or None, application=app, user=request.user)
    if request.method == "GET":
        form.initial.update({"seen": application_seen(app), "repaid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            repayment_claim_record_repayment(
                claim=claim,
                actor=request.user,
                repaid_on=form.cleaned_data["repaid_on"],
                amount=form.cleaned_data.get("amount"),
                seen=form.cleaned_data["seen"],
            )
        except ChangedMeanwhile as refused:
            return changed_meanwhile_response(request, app.pk, refused)
        except NotPermitted as refused:
            raise PermissionDenied(" ".join(refused.messages)) from refused
        except ActionRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Die Erstattung ist erfasst."))
            return redirect("casework:file", pk=app.pk)
    return render(
        request,
        "grants/casework/repayment.html",
        {
            "application": app,
            "claim": claim,
            "form": form,
            "interest": _interest(
                claim,
                request.GET.get("bis") or (form.data.get("repaid_on") if form.is_bound else None),
            ),
            "repayments": list(claim.repayments.all()),
        },
        status=422 if request.method == "POST" else 200,
    )


def _interest(claim: RepaymentClaim, until: str | None):
    try:
        day = dt.date.fromisoformat(until) if until else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    try:
        result = repayment_interest(claim, day)
        return {"until": day, "result": result, "flag": result.unknown_message}
    except ActionRefused as refused:
        return {"until": day, "error": " ".join(refused.messages)}


@login_required
@require_GET
def interest_preview(request: AuthenticatedHttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(RepaymentClaim.objects.select_related("application"), pk=claim_id)
    application_for_case_worker(request, claim.application_id)
    return render(
        request,
        "grants/casework/_interest.html",
        {"claim": claim, "interest": _interest(claim, request.GET.get("repaid_on"))},
    )
