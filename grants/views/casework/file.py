"""The application file (Akte) and the view that runs a step on it. Steps are offered only when
the lifecycle allows them for this person; a refused step says why and changes nothing, and a
stale page (somebody acted meanwhile) shows the file as it is now."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applicants.selectors import load_documents
from core.money import parse_eur
from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused, ChangedMeanwhile, NotPermitted
from grants.forms import casework as f
from grants.forms.correspondence import ThreadMessageForm
from grants.lifecycle import is_offered, refusals
from grants.models import (
    Application,
    Budget,
    CostLine,
    Decision,
    FinancingLine,
    Payout,
    StatusChange,
)
from grants.selectors.applications import application_rule_flags
from grants.selectors.correspondence import REQUEST_TRANSITIONS, request_items_of, thread_of
from grants.selectors.documents import (
    attachments_of,
    receipt_files_of,
    standard_documents_of,
    thread_attachments_of,
)
from grants.selectors.payouts import open_payout_hints
from grants.selectors.proof import (
    proof_figures_for,
    proof_figures_of_file,
    receipt_list,
    receipt_list_of,
)
from grants.services.assessment import (
    internal_note_create,
)
from grants.services.base import MAX_LINE_AMOUNT, application_seen
from grants.services.correspondence import thread_mark_read
from grants.services.payouts import PROOF_UNDER_CHECK_STATES
from grants.views.casework.access import application_for_case_worker
from grants.views.casework.letters import letters_context
from grants.views.casework.steps import STEPS


def payout_form_id(payout: Payout, slug: str) -> str:
    """Ids of a payout's inline form, unique in the file, so the summary can link to its field."""
    return f"{slug}-{payout.pk}-%s"


def file_context(
    request: AuthenticatedHttpRequest, app: Application, *, read: bool = False
) -> dict[str, Any]:
    """What the file shows; ``read``: the person opens it to read (not re-shown after a
    refused step), so its messages are marked as read."""
    user = request.user
    # What the rules of every step and the page read more than once is loaded once here: the
    # plan's rows (``Application.plan``), the decisions (``pending_decision``), the history
    # (``application_seen``), the payouts and claims (``repayable_amount``) and the early
    # starts are read from these rows (``grants.models.prefetched``), not asked again.
    prefetch_related_objects(
        [app],
        Prefetch("cost_lines", queryset=CostLine.objects.select_related("category")),
        Prefetch("financing_lines", queryset=FinancingLine.objects.select_related("category")),
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related("proposed_by", "confirmed_by"),
        ),
        Prefetch("status_changes", queryset=StatusChange.objects.select_related("actor")),
        Prefetch("payouts", queryset=Payout.objects.select_related("certified_by", "ordered_by")),
        "early_starts",
    )
    load_documents(app.applicant)
    # A proof check sets the justified amount, and only an amount no longer justified is
    # claimed back: before either, the file has neither (most files: two queries fewer).
    checked = app.justified_amount is not None
    if checked:
        prefetch_related_objects([app], "repayment_claims__repayments")
    pending = app.pending_decision
    if pending is not None:
        # Only a pending proposal's years are checked (the programme's rules on it).
        prefetch_related_objects([pending], "year_amounts")
    plan = app.plan
    offered = {slug: step.offered(app, user) for slug, step in STEPS.items()}
    # Destructive steps (reject, claim back, revoke) come last, never as the first button.
    steps = sorted((s for s in STEPS.values() if offered[s.slug]), key=lambda s: s.danger)
    blocked = [
        (s, reasons)
        for s in STEPS.values()
        if (reasons := s.why_not(app, user, offered=offered[s.slug]))
    ]
    status_changes = list(app.status_changes.all())
    # Rows that only a step of the history creates (a referral its agenda item, a request for
    # missing items its items) are not asked for while the history has no such step.
    steps_taken = {change.transition for change in status_changes}
    timeline = sorted(
        [("change", c.created_at, c) for c in status_changes]
        + [("note", n.created_at, n) for n in app.internal_notes.select_related("author")]
        + [("opening", o.opened_at, o) for o in app.document_openings.select_related("actor")],
        key=lambda row: row[1],
        reverse=True,
    )
    # The latest reason each payout was sent back for certification, from the history above.
    returned = {
        c.payout_id: c.reason for c in status_changes if c.transition == "return_for_certification"
    }
    payouts = list(app.payouts.all())
    for payout in payouts:
        payout.return_reason = (
            returned.get(payout.pk) if payout.state == Payout.State.RETURNED else ""
        )
        payout.can_certify = is_offered(payout, "certify", user)
        payout.can_order = is_offered(payout, "order", user)
        payout.can_cancel = is_offered(payout, "cancel", user)
        payout.cancel_form = f.PayoutCancelForm(auto_id=payout_form_id(payout, "stornieren"))
        payout.order_refusal = (
            refusals(payout, "order", user)
            if payout.state == Payout.State.CERTIFIED and not payout.can_order
            else []
        )
    claims = list(app.repayment_claims.all()) if checked else []
    for claim in claims:
        claim.can_settle = is_offered(claim, "settle", user)
    proof_check = app.proof_checks.prefetch_related("lines").first() if checked else None
    cost_lines = list(app.cost_lines.all())
    financing_lines = list(app.financing_lines.all())
    decisions = list(app.decisions.all())
    # Letters are made for decisions and claims only.
    letters = list(app.letters.all()) if decisions or claims else []
    receipts = list(app.receipts.all())
    thread = thread_of(app)
    if read and any(all(r.user_id != user.pk for r in m.reads.all()) for m in thread):
        # Marked read only when something is new (most visits ask nothing more), then shown
        # with the receipts just written.
        thread_mark_read(application=app, user=user)
        thread = thread_of(app)
    return {
        "application": app,
        "seen": application_seen(app),
        "plan": plan,
        "flags": application_rule_flags(app, plan),
        "cost_lines": cost_lines,
        "financing_lines": financing_lines,
        "attachments": attachments_of(app),
        "standard_documents": standard_documents_of(app),
        "thread_attachments": thread_attachments_of(thread),
        "receipt_files": receipt_files_of(receipts),
        **letters_context(app, letters, decisions),
        "decisions": decisions,
        "assessment": app.assessments.select_related("author")
        .prefetch_related("checklist_answers__item", "scores__criterion")
        .first(),
        "agenda_items": list(app.agenda_items.select_related("meeting__committee"))
        if "refer_to_committee" in steps_taken
        else [],
        "early_starts": list(app.early_starts.all()),
        "payouts": payouts,
        "claims": claims,
        # The proof check waits for these: each named with what to do, not a bare refusal.
        "payout_hints": open_payout_hints(payouts) if app.state in PROOF_UNDER_CHECK_STATES else [],
        "proof_check": proof_check,
        "proof_figures": proof_figures_of_file(app, proof_check, cost_lines, financing_lines),
        "receipts": receipt_list_of(receipts, cost_lines) if receipts else None,
        "steps": steps,
        "blocked": blocked,
        "timeline": timeline,
        "note_form": f.NoteForm(),
        "thread": thread,
        "thread_form": ThreadMessageForm(),
        "thread_post_url": reverse("casework:messages", args=[app.pk]),
        "request_item_rows": request_items_of(app)
        if steps_taken.intersection(REQUEST_TRANSITIONS)
        else [],
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def application_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    app = application_for_case_worker(request, pk)
    return render(request, "grants/casework/file.html", file_context(request, app, read=True))


def changed_meanwhile_response(
    request: AuthenticatedHttpRequest, pk: int, refused: ChangedMeanwhile
) -> HttpResponse:
    """The person acted on a stale page: show the file as it is now, with the reason."""
    app = application_for_case_worker(request, pk)
    context = file_context(request, app)
    context["changed_messages"] = refused.messages
    return render(request, "grants/casework/file.html", context, status=409)


@login_required
@require_http_methods(["GET", "POST"])
def step_view(request: AuthenticatedHttpRequest, pk: int, slug: str) -> HttpResponse:
    app = application_for_case_worker(request, pk)
    step = STEPS.get(slug)
    if step is None:
        raise Http404
    kwargs = {"application": app, "user": request.user}
    status = 422
    form = step.form(request.POST or None, **kwargs)
    if request.method == "GET":
        form.initial["seen"] = application_seen(app)
    if not step.offered(app, request.user) and request.method == "GET":
        messages.warning(
            request,
            " ".join(step.why_not(app, request.user))
            or _("Dieser Schritt ist im Status „%(state)s“ nicht möglich.")
            % {"state": app.get_state_display()},
        )
        return redirect("casework:file", pk=app.pk)
    if request.method == "POST" and form.is_valid():
        try:
            step.run(
                application=app,
                actor=request.user,
                seen=form.cleaned_data["seen"],
                **form.service_kwargs(),
            )
        except ChangedMeanwhile as refused:
            return changed_meanwhile_response(request, pk, refused)
        except ActionRefused as refused:
            # Refused for this person (four eyes, say) or by a rule: said on the form.
            status = 403 if isinstance(refused, NotPermitted) else 422
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("„%(step)s“ ist erledigt.") % {"step": step.label})
            return redirect("casework:file", pk=app.pk)
    if request.method == "GET" or not form.errors:
        status = 200
    elif not form.non_field_errors():
        status = 422
    return render(
        request,
        "grants/casework/step.html",
        {
            "application": app,
            "step": step,
            "form": form,
            "pending": app.pending_decision,
            "proof_figures": proof_figures_for(app) if step.shows_approved_amount else None,
            "refused": request.method == "POST" and form.errors,
            "receipts": receipt_list(app) if step.shows_receipts else None,
        },
        status=status,
    )


@login_required
@require_POST
def add_note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    app = application_for_case_worker(request, pk)
    form = f.NoteForm(request.POST)
    if not form.is_valid():
        # The file again, with the summary on top and the note as typed.
        context = {**file_context(request, app), "note_form": form}
        return render(request, "grants/casework/file.html", context, status=422)
    internal_note_create(application=app, actor=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Der Vermerk ist gespeichert."))
    return redirect(reverse("casework:file", args=[app.pk]) + "#vermerke")


def _budget_rows(app: Application, shares: dict[int, Decimal]) -> list[dict]:
    budgets = {
        b.fiscal_year: b
        for b in Budget.objects.filter(
            programme_id=app.programme_id,
            funding_area_id=app.funding_area_id,
            fiscal_year__in=list(shares),
        )
    }
    rows = []
    for year, amount in sorted(shares.items()):
        budget = budgets.get(year)
        available = budget.available if budget else None
        rows.append(
            {
                "year": year,
                "amount": amount,
                "budget": budget,
                "available": available,
                "after": None if available is None else available - amount,
            }
        )
    return rows


@login_required
@require_GET
def budget_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """htmx fragment: budget available now and after this decision, per fiscal year. Without
    parameters it shows the pending proposal (confirm page); with them, the form's figures."""
    app = application_for_case_worker(request, pk)
    shares: dict[int, Decimal] = {}
    invalid = False
    try:
        for key, value in request.GET.items():
            if key.startswith("year_") and value.strip():
                shares[_preview_year(key[5:])] = _preview_amount(value)
        if not shares and request.GET.get("amount") and request.GET.get("funding_start"):
            start = dt.date.fromisoformat(request.GET["funding_start"])
            shares = {start.year: _preview_amount(request.GET["amount"])}
    except (ValueError, InvalidOperation):
        shares, invalid = {}, True
    if not shares and "amount" not in request.GET:
        pending = app.pending_decision
        if pending is not None and pending.outcome == Decision.Outcome.APPROVE:
            shares = {y.fiscal_year: y.amount for y in pending.year_amounts.all()}
    return render(
        request,
        "grants/casework/_budget.html",
        {"rows": _budget_rows(app, shares), "checked_at": timezone.localtime(), "invalid": invalid},
    )


def _preview_amount(value: str) -> Decimal:
    # The page's notation, as in the form; "NaN" or "Infinity" are no amounts at all.
    amount = parse_eur(value)
    if not Decimal(0) <= amount <= MAX_LINE_AMOUNT:
        raise ValueError(value)
    return amount


def _preview_year(value: str) -> int:
    year = int(value)
    if not 2000 <= year <= 2100:
        raise ValueError(value)
    return year
