"""Before the first step: a short check whether a call fits the project, in plain German,
so that nobody learns at the last step that they cannot apply."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from applicants import selectors as applicant_selectors
from grants.forms.eligibility import EligibilityForm
from grants.models import Call, eligibility_refusals


@require_http_methods(["GET", "POST"])
def eligibility(request: HttpRequest, call_pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("programme"), pk=call_pk)
    initial = {}
    if request.user.is_authenticated:
        profile = applicant_selectors.applicants_for_user(request.user).first()
        if profile is not None:
            initial["applicant_kind"] = profile.kind
    form = EligibilityForm(
        request.POST if request.method == "POST" else None, call=call, initial=initial
    )
    reasons = None
    if request.method == "POST" and form.is_valid():
        # The rules the submission enforces, asked with the answers typed here.
        reasons = list(eligibility_refusals(call, form.answers()).values())
    return render(
        request,
        "grants/applicant/eligibility.html",
        {"call": call, "form": form, "reasons": reasons, "is_open": call.is_open()},
    )
