"""Case work (/sachbearbeitung/): start page, work queue, application file, one form per step,
committee meetings, letters and letter templates.

Access is decided in two helpers: ``_application`` (404 for applications outside the user's
programmes and for drafts, 403 for programme staff who are not case workers) and
``_case_worker`` (403 for anyone without a case-worker role). Steps are offered only when the
lifecycle allows them for this person; a refused step says why and changes nothing, and a
stale page (somebody acted meanwhile) shows the new state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants import letters, queue, services
from grants.errors import ActionRefused, ChangedMeanwhile, NotPermitted, RuleViolated
from grants.forms import casework as f
from grants.lifecycle import is_offered, refusals, transition_of
from grants.models import (
    CHANGEABLE_STATES,
    PAYABLE_STATES,
    AgendaItem,
    Application,
    ApplicationState,
    Budget,
    ChangeRequest,
    Committee,
    CommitteeMember,
    Decision,
    Letter,
    LetterKind,
    LetterTemplate,
    Meeting,
    Payout,
    RepaymentClaim,
    StaffRole,
    has_programme_role,
)
from grants.selectors import application_get_for_staff, application_rule_flags
from reporting.selectors import budget_lines

S = ApplicationState
CASE_WORKER = StaffRole.Role.CASE_WORKER
PER_PAGE = 50


# --- access -----------------------------------------------------------------------------------


def _case_worker(request: HttpRequest) -> None:
    if not queue.is_case_worker(request.user):
        raise PermissionDenied(_("Dieser Bereich ist der Sachbearbeitung vorbehalten."))


def _application(request: HttpRequest, pk: int) -> Application:
    application = application_get_for_staff(request.user, pk)
    if not has_programme_role(request.user, application.programme_id, CASE_WORKER):
        raise PermissionDenied(_("Nur die Sachbearbeitung des Programms darf Anträge bearbeiten."))
    return application


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    _case_worker(request)
    meeting = (
        Meeting.objects.filter(
            pk=pk, committee__programme__in=queue.casework_programmes(request.user)
        )
        .select_related("committee__programme")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


# --- steps on an application --------------------------------------------------------------------


@dataclass
class Step:
    """One step of the file: its form, the service it calls, and when it is offered."""

    slug: str
    label: str
    form: type[f.StepForm]
    run: Any  # (application, user, **form values) -> Any
    transitions: tuple[str, ...] = ()
    states: tuple[str, ...] = ()  # for steps that are no lifecycle transition
    when: Any = None  # (application) -> bool, for steps that are no lifecycle transition
    danger: bool = False
    hint: str = ""
    extra: dict = field(default_factory=dict)

    def offered(self, app: Application, user) -> bool:
        if self.transitions:
            return any(is_offered(app, name, user) for name in self.transitions)
        return app.state in self.states and (self.when is None or self.when(app))

    def why_not(self, app: Application, user) -> list[str]:
        """Refusals of a step that exists in this state but is not allowed for this person."""
        if not self.transitions or self.offered(app, user):
            return []
        reasons: list[str] = []
        for name in self.transitions:
            if transition_of(app, name) is not None:
                reasons.extend(refusals(app, name, user))
        return reasons


def _confirm(*, application, actor, note):
    return services.application_confirm(application=application, actor=actor, note=note)


def _open_change_request(application: Application) -> ChangeRequest | None:
    return application.change_requests.filter(state=ChangeRequest.State.REQUESTED).first()


def _decide_change(*, application, actor, approve, note):
    change_request = _open_change_request(application)
    if change_request is None:
        raise RuleViolated(_("Es liegt kein offener Änderungsantrag vor."))
    return services.change_request_decide(
        change_request=change_request, actor=actor, approve=approve, note=note
    )


def _plan_from_notice(*, application, actor):
    return services.payouts_plan_from_notice(application=application, actor=actor)


STEPS: dict[str, Step] = {
    step.slug: step
    for step in [
        Step(
            "nachforderung",
            gettext_lazy("Unterlagen nachfordern"),
            f.RequestChangesForm,
            services.application_request_changes,
            ("request_changes",),
        ),
        Step(
            "pruefung",
            gettext_lazy("Fachliche Prüfung beginnen"),
            f.NoteStepForm,
            lambda **kw: services.application_start_review(note=kw.pop("note"), **kw),
            ("start_review",),
        ),
        Step(
            "pruefvermerk",
            gettext_lazy("Prüfvermerk erfassen"),
            f.AssessmentForm,
            services.application_record_assessment,
            states=services.REVIEW_STATES,
        ),
        Step(
            "tagesordnung",
            gettext_lazy("Auf die Tagesordnung setzen"),
            f.AgendaForm,
            services.application_put_on_agenda,
            ("refer_to_committee",),
        ),
        Step(
            "bewilligung",
            gettext_lazy("Bewilligung vorschlagen"),
            f.ProposeForm,
            services.application_propose_notice,
            ("propose_approval",),
        ),
        Step(
            "ablehnung",
            gettext_lazy("Ablehnung vorschlagen"),
            f.RejectForm,
            services.application_propose_rejection,
            ("propose_rejection",),
            danger=True,
        ),
        Step(
            "bestaetigen",
            gettext_lazy("Entscheidung bestätigen (zweite Person)"),
            f.NoteStepForm,
            _confirm,
            ("approve", "reject"),
        ),
        Step(
            "zurueckgeben",
            gettext_lazy("Vorschlag zurückgeben"),
            f.ReasonForm,
            services.application_return_proposal,
            ("return_proposal",),
        ),
        Step(
            "zahlungsplan",
            gettext_lazy("Zahlungsplan des Bescheids übernehmen"),
            f.StepForm,
            _plan_from_notice,
            states=PAYABLE_STATES,
        ),
        Step(
            "auszahlung",
            gettext_lazy("Auszahlung planen"),
            f.PayoutPlanForm,
            services.payout_plan,
            states=PAYABLE_STATES,
        ),
        Step(
            "aenderungsantrag",
            gettext_lazy("Über den Änderungsantrag entscheiden"),
            f.ChangeDecisionForm,
            _decide_change,
            states=CHANGEABLE_STATES,
            when=lambda app: _open_change_request(app) is not None,
        ),
        Step(
            "nachweisfrist",
            gettext_lazy("Frist für den Verwendungsnachweis verlängern"),
            f.DeadlineForm,
            services.application_extend_proof_deadline,
            ("extend_proof_deadline",),
        ),
        Step(
            "nachweis-nachforderung",
            gettext_lazy("Nachweis: Unterlagen nachfordern"),
            f.RequestChangesForm,
            services.application_request_proof_changes,
            ("request_proof_changes",),
        ),
        Step(
            "nachweispruefung",
            gettext_lazy("Verwendungsnachweis prüfen"),
            f.ProofCheckForm,
            services.application_check_proof,
            ("accept_proof",),
        ),
        Step(
            "rueckforderung",
            gettext_lazy("Rückforderung erheben"),
            f.ClaimForm,
            services.repayment_claim_create,
            ("claim_repayment",),
            danger=True,
        ),
        Step(
            "abschluss",
            gettext_lazy("Vorgang abschließen"),
            f.NoteStepForm,
            services.application_close,
            ("close",),
        ),
        Step(
            "widerruf",
            gettext_lazy("Bescheid widerrufen"),
            f.ReasonForm,
            services.application_revoke,
            ("revoke",),
            danger=True,
        ),
        Step(
            "zustaendigkeit",
            gettext_lazy("Zuständigkeit ändern"),
            f.AssignForm,
            services.application_assign,
            states=tuple(s for s in S.values if s != S.DRAFT),
        ),
    ]
}
# Services that check the fingerprint themselves; the others run inside casework_step.
SEEN_AWARE = {
    "pruefvermerk",
    "tagesordnung",
    "bewilligung",
    "nachweispruefung",
    "zustaendigkeit",
}


def _run_step(step: Step, app: Application, user, form: f.StepForm) -> Any:
    kwargs = form.service_kwargs()
    if step.slug == "zustaendigkeit":
        kwargs = {"assignee": kwargs["assignee"], "reason": kwargs["reason"]}
    seen = form.cleaned_data["seen"]
    if step.slug in SEEN_AWARE:
        return step.run(application=app, actor=user, seen=seen, **kwargs)
    return services.casework_step(step.run, application=app, seen=seen, actor=user, **kwargs)


def _file_context(request: HttpRequest, app: Application) -> dict[str, Any]:
    user = request.user
    plan = app.plan
    steps = [s for s in STEPS.values() if s.offered(app, user)]
    blocked = [(s, reasons) for s in STEPS.values() if (reasons := s.why_not(app, user))]
    timeline = sorted(
        [("change", c.created_at, c) for c in app.status_changes.select_related("actor")]
        + [("note", n.created_at, n) for n in app.internal_notes.select_related("author")],
        key=lambda row: row[1],
        reverse=True,
    )
    payouts = list(app.payouts.select_related("certified_by", "ordered_by"))
    for payout in payouts:
        payout.can_certify = is_offered(payout, "certify", user)
        payout.can_order = is_offered(payout, "order", user)
        payout.can_cancel = is_offered(payout, "cancel", user)
        payout.order_refusal = (
            refusals(payout, "order", user)
            if payout.state == Payout.State.CERTIFIED and not payout.can_order
            else []
        )
    claims = list(app.repayment_claims.all())
    for claim in claims:
        claim.can_settle = is_offered(claim, "settle", user)
    return {
        "application": app,
        "seen": services.application_seen(app),
        "plan": plan,
        "flags": application_rule_flags(app, plan),
        "cost_lines": list(app.cost_lines.select_related("category")),
        "financing_lines": list(app.financing_lines.select_related("category")),
        "attachments": list(app.attachments.select_related("document_type")),
        "letters": list(app.letters.all()),
        "decisions": list(
            app.decisions.select_related("proposed_by", "confirmed_by").prefetch_related(
                "year_amounts", "planned_instalments"
            )
        ),
        "assessment": app.assessments.select_related("author")
        .prefetch_related("checklist_answers__item", "scores__criterion")
        .first(),
        "agenda_items": list(app.agenda_items.select_related("meeting__committee")),
        "payouts": payouts,
        "claims": claims,
        "proof_check": app.proof_checks.prefetch_related("lines__cost_line").first(),
        "steps": steps,
        "blocked": blocked,
        "timeline": timeline,
        "note_form": f.NoteForm(),
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    _case_worker(request)
    programmes = queue.casework_programmes(request.user)
    ids = [p.pk for p in programmes]
    _filter, applications = queue.queue(request.user, None)
    by_state = queue.counts_by_state(applications)
    return render(
        request,
        "grants/casework/start.html",
        {
            "programmes": programmes,
            "by_state": [{"label": r["label"], "n": r["n"]} for r in by_state],
            "lines": budget_lines(ids, fiscal_year=timezone.localdate().year),
            "needs": queue.needs_me(request.user),
            "my_cases": applications.filter(assigned_to=request.user).count(),
        },
    )


@login_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    _case_worker(request)
    filterset, applications = queue.queue(request.user, request.GET)
    page = Paginator(applications, PER_PAGE).get_page(request.GET.get("seite"))
    params = request.GET.copy()
    params.pop("seite", None)
    return render(
        request,
        "grants/casework/queue.html",
        {
            "filter": filterset,
            "page": page,
            "counts": queue.counts_by_state(applications),
            "params": params.urlencode(),
            "today": timezone.localdate(),
            "deadline_labels": queue.DEADLINE_LABELS,
            "deadline_fields": queue.DEADLINE_BY_STATE,
        },
    )


@login_required
@require_GET
def application_file(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    return render(request, "grants/casework/file.html", _file_context(request, app))


def _changed(request: HttpRequest, pk: int, refused: ChangedMeanwhile) -> HttpResponse:
    """The person acted on a stale page: show the file as it is now, with the reason."""
    app = _application(request, pk)
    context = _file_context(request, app)
    context["changed_messages"] = refused.messages
    return render(request, "grants/casework/file.html", context, status=409)


@login_required
@require_http_methods(["GET", "POST"])
def step_view(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    app = _application(request, pk)
    step = STEPS.get(slug)
    if step is None:
        raise Http404
    kwargs = {"application": app, "user": request.user}
    status = 422
    form = step.form(request.POST or None, **kwargs)
    if request.method == "GET":
        form.initial["seen"] = services.application_seen(app)
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
            _run_step(step, app, request.user, form)
        except ChangedMeanwhile as refused:
            return _changed(request, pk, refused)
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
            "refused": request.method == "POST" and form.errors,
        },
        status=status,
    )


@login_required
@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    form = f.NoteForm(request.POST)
    if form.is_valid():
        services.application_add_note(
            application=app, actor=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Der Vermerk ist gespeichert."))
    else:
        messages.error(request, _("Bitte schreiben Sie einen Vermerk."))
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
def budget_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx fragment: budget available now and after this decision, per fiscal year. Without
    parameters it shows the pending proposal (confirm page); with them, the form's figures."""
    app = _application(request, pk)
    shares: dict[int, Decimal] = {}
    try:
        for key, value in request.GET.items():
            if key.startswith("year_") and value.strip():
                shares[int(key[5:])] = Decimal(value.replace(",", "."))
        if not shares and request.GET.get("amount") and request.GET.get("funding_start"):
            start = dt.date.fromisoformat(request.GET["funding_start"])
            shares = {start.year: Decimal(request.GET["amount"].replace(",", "."))}
    except (ValueError, InvalidOperation):
        shares = {}
    if not shares and "amount" not in request.GET:
        pending = app.pending_decision
        if pending is not None and pending.outcome == Decision.Outcome.APPROVE:
            shares = {y.fiscal_year: y.amount for y in pending.year_amounts.all()}
    return render(
        request,
        "grants/casework/_budget.html",
        {"rows": _budget_rows(app, shares), "checked_at": timezone.localtime()},
    )


@login_required
@require_GET
def letter_download(request: HttpRequest, pk: int, letter_id: int) -> FileResponse:
    app = _application(request, pk)
    letter = get_object_or_404(Letter, pk=letter_id, application=app)
    return FileResponse(
        letter.file.open("rb"),
        as_attachment=False,
        filename=letter.filename,
        content_type="application/pdf",
    )


# --- payouts and repayment claims -------------------------------------------------------------


PAYOUT_STEPS = {
    "zeichnen": (
        services.payout_certify,
        f.PayoutStepForm,
        gettext_lazy("sachlich und rechnerisch richtig gezeichnet"),
    ),
    "anordnen": (services.payout_order, f.PayoutStepForm, gettext_lazy("angeordnet")),
    "stornieren": (services.payout_cancel, f.PayoutCancelForm, gettext_lazy("storniert")),
}


@login_required
@require_POST
def payout_step(request: HttpRequest, payout_id: int, slug: str) -> HttpResponse:
    payout = get_object_or_404(Payout.objects.select_related("application"), pk=payout_id)
    _application(request, payout.application_id)
    if slug not in PAYOUT_STEPS:
        raise Http404
    service, form_class, done = PAYOUT_STEPS[slug]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie einen Grund an."))
    else:
        try:
            service(payout=payout, actor=request.user, **form.cleaned_data)
        except NotPermitted as refused:
            messages.error(request, " ".join(refused.messages))
        except ActionRefused as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(
                request,
                _("Auszahlung über %(amount)s € %(done)s.")
                % {"amount": payout.amount, "done": done},
            )
    return redirect(reverse("casework:file", args=[payout.application_id]) + "#auszahlungen")


@login_required
@require_http_methods(["GET", "POST"])
def repayment_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(RepaymentClaim.objects.select_related("application"), pk=claim_id)
    app = _application(request, claim.application_id)
    form = f.RepaymentForm(request.POST or None, application=app, user=request.user)
    if request.method == "GET":
        form.initial.update(
            {"seen": services.application_seen(app), "repaid_on": timezone.localdate()}
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.repayment_claim_record_repayment(
                claim=claim,
                actor=request.user,
                repaid_on=form.cleaned_data["repaid_on"],
                seen=form.cleaned_data["seen"],
            )
        except ChangedMeanwhile as refused:
            return _changed(request, app.pk, refused)
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
        },
        status=422 if request.method == "POST" else 200,
    )


def _interest(claim: RepaymentClaim, until: str | None):
    try:
        day = dt.date.fromisoformat(until) if until else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    try:
        return {"until": day, "result": services.repayment_interest(claim, day)}
    except ActionRefused as refused:
        return {"until": day, "error": " ".join(refused.messages)}


@login_required
@require_GET
def interest_preview(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(RepaymentClaim.objects.select_related("application"), pk=claim_id)
    _application(request, claim.application_id)
    return render(
        request,
        "grants/casework/_interest.html",
        {"claim": claim, "interest": _interest(claim, request.GET.get("repaid_on"))},
    )


# --- meetings ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest) -> HttpResponse:
    _case_worker(request)
    programmes = queue.casework_programmes(request.user)
    committees = Committee.objects.filter(programme__in=programmes, is_active=True)
    form = f.MeetingForm(request.POST or None, committees=committees)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(
            committee_id=form.cleaned_data["committee"].pk,
            actor=request.user,
            date=form.cleaned_data["date"],
            location=form.cleaned_data["location"],
        )
        messages.success(request, _("Die Sitzung ist angelegt."))
        return redirect("casework:meeting", pk=meeting.pk)
    return render(
        request,
        "grants/casework/meetings.html",
        {
            "meetings": Meeting.objects.filter(committee__programme__in=programmes)
            .select_related("committee__programme")
            .prefetch_related("items"),
            "form": form,
        },
    )


def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    members = list(meeting.committee.members.filter(is_active=True))
    items = list(
        meeting.items.select_related("application__applicant", "vote").prefetch_related(
            Prefetch("conflicts", to_attr="conflict_list"),
            "member_votes__member",
        )
    )
    budgets = {
        (b.fiscal_year, b.funding_area_id): b
        for b in Budget.objects.filter(
            programme_id=meeting.committee.programme_id, fiscal_year=meeting.date.year
        )
    }
    running = Decimal(0)
    rows = []
    for item in items:
        running += item.proposed_amount
        conflicted = {c.member_id for c in item.conflict_list}
        budget = budgets.get((meeting.date.year, item.application.funding_area_id))
        rows.append(
            {
                "item": item,
                "running": running,
                "available": budget.available if budget else None,
                "over": budget is not None and running > budget.available,
                "conflicted": [m for m in members if m.pk in conflicted],
                "conflict_form": f.ConflictForm(
                    initial={"version": meeting.version},
                    members=CommitteeMember.objects.filter(pk__in=[m.pk for m in members]),
                    prefix=f"c{item.pk}",
                ),
                "votes_form": f.VotesForm(
                    initial={"version": meeting.version},
                    item=item,
                    members=members,
                    conflicted=conflicted,
                ),
            }
        )
    return {
        "meeting": meeting,
        "rows": rows,
        "members": members,
        "minutes_form": f.MinutesForm(
            initial={"version": meeting.version, "minutes": meeting.minutes}
        ),
        "can_propose": any(r["item"].application.state == S.VOTED for r in rows),
        "can_confirm": any(r["item"].application.state == S.DECISION_PROPOSED for r in rows),
    }


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return render(request, "grants/casework/meeting.html", _meeting_context(request, meeting))


@login_required
@require_POST
def meeting_step(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    meeting = _meeting(request, pk)
    user = request.user
    try:
        if slug == "befangenheit":
            item = get_object_or_404(AgendaItem, pk=request.POST.get("item"), meeting=meeting)
            form = f.ConflictForm(
                request.POST, members=meeting.committee.members.all(), prefix=f"c{item.pk}"
            )
            if not form.is_valid():
                raise _invalid(form)
            services.agenda_item_declare_conflict(
                item=item,
                actor=user,
                member=form.cleaned_data["member"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
            messages.success(request, _("Die Befangenheit ist erfasst."))
        elif slug == "abstimmung":
            item = get_object_or_404(AgendaItem, pk=request.POST.get("item"), meeting=meeting)
            conflicted = set(item.conflicts.values_list("member_id", flat=True))
            form = f.VotesForm(
                request.POST,
                item=item,
                members=list(meeting.committee.members.filter(is_active=True)),
                conflicted=conflicted,
            )
            if not form.is_valid():
                raise _invalid(form)
            services.agenda_item_record_votes(
                item=item,
                actor=user,
                votes=form.votes(),
                recommended_amount=form.cleaned_data["recommended_amount"],
                version=form.cleaned_data["version"],
            )
            messages.success(request, _("Die Abstimmung ist erfasst."))
        elif slug == "niederschrift":
            form = f.MinutesForm(request.POST)
            if not form.is_valid():
                raise _invalid(form)
            services.meeting_save_minutes(meeting=meeting, actor=user, **form.cleaned_data)
            messages.success(request, _("Die Niederschrift ist gespeichert."))
        elif slug == "vorschlagen":
            decisions = services.meeting_propose_decisions(meeting=meeting, actor=user)
            messages.success(
                request, _("%(n)s Entscheidungen sind vorgeschlagen.") % {"n": len(decisions)}
            )
        elif slug == "bestaetigen":
            decisions = services.meeting_confirm_decisions(meeting=meeting, actor=user)
            messages.success(
                request, _("%(n)s Entscheidungen sind bestätigt.") % {"n": len(decisions)}
            )
        else:
            raise Http404
    except ActionRefused as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect("casework:meeting", pk=meeting.pk)


def _invalid(form) -> ActionRefused:
    errors = [str(e) for errors in form.errors.values() for e in errors]
    return ActionRefused(errors or [_("Bitte prüfen Sie die Eingaben.")])


@login_required
@require_GET
def meeting_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    meeting = _meeting(request, pk)
    results = kind == "ergebnisse"
    pdf = letters.meeting_pdf(meeting, results=results)
    name = f"{'Ergebnisse' if results else 'Tagesordnung'}-{meeting.date:%Y-%m-%d}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- letter templates ---------------------------------------------------------------------------


@login_required
@require_GET
def templates_list(request: HttpRequest) -> HttpResponse:
    _case_worker(request)
    programmes = list(queue.casework_programmes(request.user))
    stored = {
        (t.programme_id, t.kind, t.language): t
        for t in LetterTemplate.objects.filter(programme__in=programmes).select_related(
            "updated_by"
        )
    }
    rows = [
        {
            "programme": p,
            "kind": kind,
            "language": code,
            "language_name": name,
            "stored": stored.get((p.pk, kind.value, code)),
        }
        for p in programmes
        for kind in LetterKind
        for code, name in settings.LANGUAGES
    ]
    return render(request, "grants/casework/templates.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(
    request: HttpRequest, programme_id: int, kind: str, language: str
) -> HttpResponse:
    _case_worker(request)
    programme = get_object_or_404(queue.casework_programmes(request.user), pk=programme_id)
    if kind not in LetterKind.values or language not in dict(
        __import__("django.conf").conf.settings.LANGUAGES
    ):
        raise Http404
    probe = Application(programme=programme)
    current = letters.template_for(probe, kind, language)
    form = f.LetterTemplateForm(
        request.POST or None,
        instance=LetterTemplate(
            programme=programme,
            kind=kind,
            language=language,
            subject=current.subject,
            body=current.body,
            legal_remedies=current.legal_remedies,
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_template_save(
                programme=programme,
                actor=request.user,
                kind=kind,
                language=language,
                **{k: form.cleaned_data[k] for k in ("subject", "body", "legal_remedies")},
            )
        except ActionRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Die Vorlage ist gespeichert; sie gilt für alle neuen Bescheide.")
            )
            return redirect("casework:templates")
    return render(
        request,
        "grants/casework/template_edit.html",
        {
            "programme": programme,
            "kind": LetterKind(kind),
            "language": language,
            "form": form,
            "variables": letters.VARIABLES,
        },
    )
