"""The page of one application after submission: timeline, open requests, mails,
withdrawal, the notice and the waiver of appeal, and calls for funds.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.formatting import eur
from core.types import AuthenticatedHttpRequest
from grants import lifecycle
from grants.errors import ActionRefused
from grants.forms.applicant import (
    ChangeRequestForm,
    PayoutRequestForm,
    WaiveForm,
    WithdrawForm,
)
from grants.forms.correspondence import ThreadMessageForm
from grants.models import (
    CHANGEABLE_STATES,
    EDITABLE_STATES,
    PAYABLE_STATES,
    WITHDRAWABLE_STATES,
    Application,
    ApplicationState,
    ChangeRequest,
    Decision,
    Payout,
)
from grants.selectors.applications import payout_totals_read
from grants.selectors.correspondence import thread_of
from grants.selectors.proof import claim_figures
from grants.services.applications import application_withdraw
from grants.services.changes import change_request_submit
from grants.services.correspondence import thread_mark_read
from grants.services.decisions import application_waive_appeal
from grants.services.payouts import payee_of, payout_request
from grants.views.applicant.access import _application, _data, _refused
from grants.views.applicant.common import PROOF_STATES, _open_request, next_step
from grants.views.applicant.early_start import can_request_early_start
from grants.views.applicant.timeline import timeline

S = ApplicationState


def _mails(application: Application, user) -> list:
    try:
        from notifications.selectors import messages_for_application
    except ImportError:
        return []
    return list(
        messages_for_application(application).filter(Q(user=user) | Q(to__iexact=user.email))
    )


def _handler(application: Application) -> str:
    if application.assigned_to_id and application.assigned_to.get_full_name():
        unit = application.programme.responsible_unit
        name = application.assigned_to.get_full_name()
        return f"{name}, {unit}" if unit else name
    return application.programme.responsible_unit or application.programme.funding_body.name


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(
        request,
        pk,
        # The call is read only for a draft's deadline (next_step), so not with every page.
        related=("programme__funding_body", "applicant", "assigned_to"),
    )
    prefetch_related_objects([application], "early_starts")
    # The thread is shown once submitted; no message can exist on a draft.
    thread = thread_of(application) if application.state != ApplicationState.DRAFT else []
    thread_mark_read(application=application, user=request.user, thread=thread)
    # The notice comes with the decision; until then (and after a withdrawal, which only
    # comes before it) there is none to look for.
    decision: Decision | None = None
    if application.state not in (S.DRAFT, S.WITHDRAWN, *WITHDRAWABLE_STATES):
        decision = (
            application.decisions.filter(status=Decision.Status.CONFIRMED)
            .order_by("-confirmed_at")
            .first()
        )
    # The letters are shown with the decision; payouts, repayment claims and changes exist
    # only once approved (and a claim only once the justified amount is set).
    approved = application.approved_amount is not None
    letters = (
        list(application.letters.exclude(kind="recovery").order_by("created_at"))
        if decision is not None
        else []
    )
    payouts: list[Payout] = []
    if approved:
        payouts = list(
            application.payouts.exclude(state=Payout.State.CANCELLED).order_by("due_date", "id")
        )
        # Asked by the next step, the call for funds and the money section alike.
        payout_totals_read(application)
    change_requests = list(application.change_requests.all()) if approved else []
    return render(
        request,
        "grants/applicant/detail.html",
        {
            "application": application,
            "label": application.applicant_label,
            "step_info": next_step(application),
            "timeline": timeline(application),
            "mails": _mails(application, request.user),
            "request_items": _open_request(application, answer_forms=True),
            "thread": thread,
            "thread_form": ThreadMessageForm()
            if application.state != ApplicationState.DRAFT
            else None,
            "thread_post_url": reverse("portal:messages", args=[application.pk]),
            "decision": decision
            if decision and decision.outcome == Decision.Outcome.APPROVE
            else None,
            "rejection": decision
            if decision and decision.outcome == Decision.Outcome.REJECT
            else None,
            "letters": letters,
            # Made in the background after the confirmation: said until it is there.
            "letter_pending": decision is not None
            and not any(letter.decision_id == decision.pk for letter in letters),
            "can_withdraw": lifecycle.is_offered(application, "withdraw", request.user),
            "can_waive": lifecycle.is_offered(application, "waive_appeal", request.user),
            "waive_form": WaiveForm(),
            "payouts": payouts,
            "can_request_payout": application.state in PAYABLE_STATES
            and application.approved_amount
            and application.paid_or_pending_amount < application.approved_amount,
            "claims": claim_figures(application)
            if application.justified_amount is not None
            else [],
            "legal_remedy": application.programme.legal_remedy_in(get_language() or "de"),
            "handler": _handler(application),
            "is_editable": application.state in EDITABLE_STATES,
            "proof_open": application.state in PROOF_STATES,
            "early_starts": list(application.early_starts.all()),
            "can_request_early_start": can_request_early_start(application),
            "change_requests": change_requests,
            "can_request_change": application.state in CHANGEABLE_STATES
            and not any(c.state == ChangeRequest.State.REQUESTED for c in change_requests),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Änderungsantrag: a longer funding period or a changed financing plan."""
    application = _application(request, pk)
    form = ChangeRequestForm(_data(request))
    refusal: list[str] = []
    if application.state not in CHANGEABLE_STATES:
        refusal = [
            _(
                "Ein Änderungsantrag ist nur möglich, solange der Bescheid bestandskräftig ist "
                "oder das Projekt läuft."
            )
        ]
    if request.method == "POST" and not refusal and form.is_valid():
        data = form.cleaned_data
        try:
            change_request_submit(
                application=application,
                actor=request.user,
                kind=data["kind"],
                reason=data["reason"],
                new_funding_end=data["new_funding_end"],
            )
        except ActionRefused as exc:
            for message in _refused(request, exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Ihr Änderungsantrag ist eingegangen."))
            return redirect("portal:detail", pk=pk)
    return render(
        request,
        "grants/applicant/change_request.html",
        {"application": application, "form": form, "refusal": refusal},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = WithdrawForm(_data(request))
    refusal = lifecycle.refusals(application, "withdraw", request.user)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            application_withdraw(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionRefused as exc:
            refusal = _refused(request, exc)
        else:
            messages.success(request, _("Sie haben den Antrag zurückgezogen."))
            return redirect("portal:detail", pk=pk)
    return render(
        request,
        "grants/applicant/withdraw.html",
        {"application": application, "form": form, "refusal": refusal},
    )


@login_required
@require_POST
def waive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = WaiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte bestätigen Sie den Verzicht mit dem Häkchen."))
        return redirect(reverse("portal:detail", args=[pk]) + "#bescheid")
    try:
        application_waive_appeal(application=application, actor=request.user)
    except ActionRefused as exc:
        for message in _refused(request, exc):
            messages.error(request, message)
    else:
        messages.success(
            request, _("Sie haben den Bescheid angenommen. Sie können jetzt Mittel abrufen.")
        )
    return redirect("portal:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def payout(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not application.approved_amount:
        raise Http404
    months = application.programme.payout_need_months
    form = PayoutRequestForm(_data(request), months=months)
    refusal: list[str] = []
    if application.state not in PAYABLE_STATES:
        refusal = [_("Mittel können erst abgerufen werden, wenn der Bescheid bestandskräftig ist.")]
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            payout_request(
                application=application,
                actor=request.user,
                amount=form.cleaned_data["amount"],
                needed_on=form.cleaned_data["needed_on"],
                note=form.cleaned_data["note"],
            )
        except ActionRefused as exc:
            refusal = _refused(request, exc)
        else:
            messages.success(
                request,
                _("Ihr Abruf über %(amount)s ist eingegangen.")
                % {"amount": eur(form.cleaned_data["amount"])},
            )
            return redirect("portal:detail", pk=pk)
    pending = application.paid_or_pending_amount
    return render(
        request,
        "grants/applicant/payout.html",
        {
            "application": application,
            "form": form,
            "refusal": refusal,
            "approved": application.approved_amount,
            "called": pending,
            "paid": application.paid_amount,
            "remaining": application.approved_amount - pending,
            "months": months,
            "payable": application.state in PAYABLE_STATES,
            # In full: whoever calls the money must be able to check the whole number it goes to.
            "payee": payee_of(application),
        },
    )
