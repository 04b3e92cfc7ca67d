"""The applicant portal: programmes and calls, the application in steps, and one page per
application from submission to the closed file.

Every view starts with an access helper: ``_application`` (members of the applicant, 404 for
anyone else) or ``_editable`` (the same, and only while the application may be changed).
Views parse input, call one service, and show a refused step's German messages next to the
form; they never change a lifecycle themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from applicants import selectors as applicant_selectors
from applicants.models import ApplicantKind
from grants import lifecycle, services
from grants.errors import ActionRefused, NotPermitted
from grants.formatting import eur
from grants.forms.applicant import (
    AttachmentForm,
    ClassificationForm,
    PayoutRequestForm,
    ProjectForm,
    ProofForm,
    ReceiptForm,
    ResubmitForm,
    StartForm,
    WaiveForm,
    WithdrawForm,
    plan_formsets,
)
from grants.models import (
    APPLICANT_LABELS,
    EDITABLE_STATES,
    OWN_SHARE_KINDS,
    PAYABLE_STATES,
    ZERO,
    Application,
    ApplicationState,
    Attachment,
    Call,
    Decision,
    DocumentType,
    FinancingCategory,
    FinancingKind,
    Payout,
    PlanSummary,
    Programme,
    RepaymentClaim,
    StatusChange,
    applicant_eligible,
    call_open,
    grant_requested,
    not_started_yet,
    period_within_limit,
    plan_balances,
    project_described,
    required_documents_attached,
    within_cap,
)
from grants.selectors import application_get_for_applicant, applications_for_applicant_user

S = ApplicationState
# Cost lines may exceed their plan by this share before the deviation needs explaining.
DEVIATION_PERCENT = Decimal("20")
PROOF_STATES = (S.RUNNING, S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED)


# --- access ---------------------------------------------------------------------------------


def _data(request: HttpRequest):
    """The submitted data, or None for a GET: an empty POST must still be validated."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _application(request: HttpRequest, pk: int) -> Application:
    """The application if the user acts for its applicant; 404 for anyone else."""
    return application_get_for_applicant(request.user, pk)


def _editable(request: HttpRequest, pk: int) -> Application | None:
    application = _application(request, pk)
    return application if application.state in EDITABLE_STATES else None


def _locked(request: HttpRequest, application: Application) -> HttpResponse:
    messages.info(
        request,
        _(
            "Der Antrag ist eingereicht. Änderungen sind nur möglich, wenn die Förderstelle darum bittet."
        ),
    )
    return redirect("portal:detail", pk=application.pk)


def _refused(request: HttpRequest, exc: ActionRefused) -> list[str]:
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(" ".join(exc.messages))
    return exc.messages


# --- public pages ---------------------------------------------------------------------------


def _eligible_names(programme: Programme) -> list[str]:
    labels = dict(ApplicantKind.choices)
    return [str(labels[kind]) for kind in programme.eligible_applicant_kinds if kind in labels]


def programmes(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    calls = Call.objects.select_related("programme", "funding_area").filter(
        programme__is_active=True
    )
    active = list(
        Programme.objects.filter(is_active=True)
        .select_related("funding_body")
        .prefetch_related(
            "fields_of_action",
            "financing_type_rules",
            Prefetch(
                "calls",
                queryset=calls.filter(opens_at__lte=now, deadline__gte=now).order_by("deadline"),
                to_attr="open_calls",
            ),
            Prefetch(
                "calls",
                queryset=calls.filter(opens_at__gt=now).order_by("opens_at"),
                to_attr="upcoming_calls",
            ),
        )
    )
    for programme in active:
        programme.eligible_names = _eligible_names(programme)
    return render(request, "grants/applicant/programmes.html", {"programmes": active})


def easy_language(request: HttpRequest) -> HttpResponse:
    return render(request, "grants/applicant/easy_language.html")


# --- dashboard and start --------------------------------------------------------------------


@dataclass
class NextStep:
    text: str
    url: str = ""
    due: dt.date | None = None
    urgent: bool = False


def next_step(application: Application) -> NextStep:
    """The one thing the applicant should do now, or what they are waiting for."""
    pk = application.pk
    state = application.state
    if state == S.DRAFT:
        return NextStep(
            _("Antrag vervollständigen und einreichen"),
            reverse("portal:check", args=[pk]),
            application.call.deadline.date(),
        )
    if state == S.CHANGES_REQUESTED:
        return NextStep(
            _("Fehlende Unterlagen nachreichen"),
            reverse("portal:detail", args=[pk]) + "#nachforderung",
            application.response_due_date,
            urgent=True,
        )
    if state == S.APPROVED:
        return NextStep(
            _("Bescheid lesen und annehmen"),
            reverse("portal:detail", args=[pk]) + "#bescheid",
            application.appeal_deadline,
        )
    if (
        state in (S.FINAL, S.RUNNING)
        and application.approved_amount
        and application.paid_or_pending_amount < application.approved_amount
    ):
        return NextStep(
            _("Mittel abrufen, wenn Sie sie brauchen"), reverse("portal:payout", args=[pk])
        )
    if state in (S.RUNNING, S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED) and (
        state != S.RUNNING or application.proof_overdue()
    ):
        return NextStep(
            _("Verwendungsnachweis einreichen")
            if state != S.PROOF_CHANGES_REQUESTED
            else _("Verwendungsnachweis ergänzen"),
            reverse("portal:proof", args=[pk]),
            application.response_due_date or application.proof_due_date,
            urgent=state != S.RUNNING,
        )
    if state == S.RUNNING:
        return NextStep(
            _("Projekt durchführen; Verwendungsnachweis folgt"),
            reverse("portal:proof", args=[pk]),
            application.proof_due_date,
        )
    if state == S.REPAYMENT_CLAIMED:
        claim = application.repayment_claims.filter(state=RepaymentClaim.State.OPEN).first()
        return NextStep(
            _("Rückforderung überweisen"),
            reverse("portal:detail", args=[pk]) + "#rueckforderung",
            claim.due_date if claim else None,
            urgent=True,
        )
    if state in (S.REJECTED, S.WITHDRAWN, S.CLOSED, S.REPAID, S.REVOKED, S.PROOF_ACCEPTED):
        return NextStep(_("Nichts zu tun"))
    return NextStep(_("Nichts zu tun – die Förderstelle meldet sich bei Ihnen"))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    applications = list(
        applications_for_applicant_user(request.user)
        .select_related("programme", "call", "applicant")
        .order_by("-created_at")
    )
    rows = [(application, next_step(application)) for application in applications]
    applicants = list(applicant_selectors.applicants_for_user(request.user))
    expiring = [
        (applicant, document)
        for applicant in applicants
        for document in applicant_selectors.expiring_documents(applicant)
    ]
    now = timezone.now()
    open_calls = (
        Call.objects.filter(opens_at__lte=now, deadline__gte=now, programme__is_active=True)
        .select_related("programme")
        .order_by("deadline")[:5]
    )
    return render(
        request,
        "grants/applicant/dashboard.html",
        {
            "rows": rows,
            "applicants": applicants,
            "expiring": expiring,
            "open_calls": open_calls,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, call_pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("programme"), pk=call_pk)
    applicants = applicant_selectors.applicants_for_user(request.user)
    if not applicants.exists():
        messages.info(
            request,
            _("Bitte legen Sie zuerst Ihr Profil an. Danach geht es mit dem Antrag weiter."),
        )
        return redirect(
            f"{reverse('applicants:applicant_create')}?next={reverse('portal:start', args=[call.pk])}"
        )
    form = StartForm(_data(request), applicants=applicants)
    refusal = None
    if not call.is_open():
        refusal = [_("Dieser Förderaufruf ist nicht geöffnet. Anträge sind zurzeit nicht möglich.")]
    elif request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user,
                applicant=form.cleaned_data["applicant"],
                call=call,
                title=form.cleaned_data["title"],
            )
        except ActionRefused as exc:
            refusal = _refused(request, exc)
        else:
            messages.success(
                request, _("Ihr Entwurf ist angelegt. Er wird bei jedem Schritt gespeichert.")
            )
            return redirect("portal:project", pk=application.pk)
    return render(
        request,
        "grants/applicant/start.html",
        {"call": call, "form": form, "refusal": refusal},
    )


# --- the application in steps ---------------------------------------------------------------

STEPS = [
    ("project", gettext_lazy("Projekt")),
    ("classification", gettext_lazy("Zielgruppen und Themen")),
    ("plan", gettext_lazy("Kosten und Finanzierung")),
    ("attachments", gettext_lazy("Anlagen")),
    ("check", gettext_lazy("Prüfen und einreichen")),
]


def _steps(application: Application, current: str) -> list[dict]:
    missing_steps = {item.step for item in missing_items(application)}
    return [
        {
            "name": name,
            "label": label,
            "url": reverse(f"portal:{name}", args=[application.pk]),
            "current": name == current,
            "done": name not in missing_steps and name != "check",
            "number": number,
        }
        for number, (name, label) in enumerate(STEPS, 1)
    ]


def _step_context(application: Application, current: str, **extra) -> dict:
    steps = _steps(application, current)
    index = [s["name"] for s in steps].index(current)
    return {
        "application": application,
        "steps": steps,
        "step": steps[index],
        "step_count": len(steps),
        "next_url": steps[index + 1]["url"] if index + 1 < len(steps) else "",
        **extra,
    }


def _after_save(request: HttpRequest, application: Application, current: str) -> HttpResponse:
    names = [name for name, _label in STEPS]
    if request.POST.get("action") == "next":
        return redirect(f"portal:{names[names.index(current) + 1]}", pk=application.pk)
    messages.success(request, _("Ihr Entwurf ist gespeichert."))
    return redirect(f"portal:{current}", pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def project(request: HttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    if application is None:
        return _locked(request, _application(request, pk))
    form = ProjectForm(_data(request), instance=application, programme=application.programme)
    refusal = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.application_update_project(
                    application=application,
                    actor=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    goals=data["goals"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    expected_participants=data["expected_participants"],
                    early_start_requested=data["early_start_requested"],
                    early_start_reason=data["early_start_reason"],
                )
            except ActionRefused as exc:
                refusal = _refused(request, exc)
            else:
                return _after_save(request, application, "project")
        # A bound ModelForm wrote the input into the instance; show the stored draft's figures.
        application.refresh_from_db()
    return render(
        request,
        "grants/applicant/step_project.html",
        _step_context(application, "project", form=form, refusal=refusal),
    )


@login_required
@require_http_methods(["GET", "POST"])
def classification(request: HttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    if application is None:
        return _locked(request, _application(request, pk))
    form = ClassificationForm(
        _data(request),
        programme=application.programme,
        initial={
            "target_groups": application.target_groups.all(),
            "fields_of_action": application.fields_of_action.all(),
            "areas": application.areas.all(),
        },
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update_classification(
                application=application, actor=request.user, **form.cleaned_data
            )
        except ActionRefused as exc:
            refusal = _refused(request, exc)
        else:
            return _after_save(request, application, "classification")
    return render(
        request,
        "grants/applicant/step_classification.html",
        _step_context(application, "classification", form=form, refusal=refusal),
    )


@dataclass
class PlanFigures:
    """What the plan step shows as totals; the same for the page and the live update."""

    summary: PlanSummary
    cap: Decimal
    min_own_share_percent: Decimal

    @property
    def within_cap(self) -> bool:
        return self.summary.requested_amount <= self.cap

    @property
    def own_share_ok(self) -> bool:
        return self.summary.own_share_percent >= self.min_own_share_percent

    @property
    def problems(self) -> list[str]:
        """Why the plan cannot be submitted as it is."""
        found = []
        summary = self.summary
        if summary.total_costs <= 0:
            found.append(_("Bitte tragen Sie mindestens eine Ausgabe ein."))
        elif not summary.balanced:
            found.append(
                _(
                    "Der Plan ist nicht ausgeglichen: Die Einnahmen sind %(diff)s %(direction)s "
                    "als die Ausgaben. Ausgaben und Einnahmen müssen gleich hoch sein."
                )
                % {
                    "diff": eur(abs(summary.difference)),
                    "direction": _("höher") if summary.difference > 0 else _("niedriger"),
                }
            )
        if summary.total_costs > 0 and summary.requested_amount <= 0:
            found.append(
                _("Bitte tragen Sie als Einnahme die beantragte Zuwendung ein (Art „%(kind)s“).")
                % {"kind": FinancingKind.GRANT.label}
            )
        if not self.within_cap:
            found.append(
                _("Die beantragte Zuwendung ist höher als der Höchstbetrag von %(cap)s.")
                % {"cap": eur(self.cap)}
            )
        return found


def _figures_from_rows(
    application: Application, costs: list[dict], financing: list[dict]
) -> PlanFigures:
    kinds = dict(
        FinancingCategory.objects.filter(programme_id=application.programme_id).values_list(
            "pk", "kind"
        )
    )
    total_costs = sum((row["amount"] for row in costs), ZERO)
    total_financing = sum((row["amount"] for row in financing), ZERO)
    own = sum(
        (row["amount"] for row in financing if kinds.get(row["category"].pk) in OWN_SHARE_KINDS),
        ZERO,
    )
    grant = sum(
        (
            row["amount"]
            for row in financing
            if kinds.get(row["category"].pk) == FinancingKind.GRANT
        ),
        ZERO,
    )
    return PlanFigures(
        summary=PlanSummary(
            total_costs=total_costs,
            total_financing=total_financing,
            own_share=own,
            requested_amount=grant,
        ),
        cap=application.call.cap,
        min_own_share_percent=application.programme.min_own_share_percent,
    )


def _valid_rows(formset) -> list[dict]:
    """Rows that parse, for live totals while other rows are still being typed."""
    rows = []
    for form in formset.forms:
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE"):
            rows.append(form.cleaned_data)
    return rows


def _stored_figures(application: Application) -> PlanFigures:
    return PlanFigures(
        summary=application.plan,
        cap=application.call.cap,
        min_own_share_percent=application.programme.min_own_share_percent,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    if application is None:
        return _locked(request, _application(request, pk))
    action = request.POST.get("action", "")
    data = request.POST if request.method == "POST" else None
    costs, financing = plan_formsets(application, data)
    figures = _stored_figures(application)
    refusal: list[str] = []
    if request.method == "POST":
        if costs.is_valid() and financing.is_valid():
            figures = _figures_from_rows(application, costs.rows(), financing.rows())
            if action == "next" and figures.problems:
                # Moving on means "this plan is done": an unbalanced plan or one over the cap
                # is refused and nothing is stored; "Entwurf speichern" keeps it as it is.
                refusal = figures.problems
            else:
                try:
                    services.application_replace_plan(
                        application=application,
                        actor=request.user,
                        costs=[_plan_line(row) for row in costs.rows()],
                        financing=[_plan_line(row) for row in financing.rows()],
                    )
                except ActionRefused as exc:
                    refusal = _refused(request, exc)
                else:
                    if action == "add_rows":
                        messages.success(
                            request, _("Gespeichert. Unten sind zwei neue Zeilen frei.")
                        )
                        return redirect("portal:plan", pk=pk)
                    return _after_save(request, application, "plan")
        else:
            figures = _figures_from_rows(application, _valid_rows(costs), _valid_rows(financing))
    return render(
        request,
        "grants/applicant/step_plan.html",
        _step_context(
            application,
            "plan",
            costs=costs,
            financing=financing,
            figures=figures,
            refusal=refusal,
        ),
    )


def _plan_line(row: dict) -> services.PlanLine:
    return services.PlanLine(
        category_id=row["category"].pk,
        description=row.get("description", "") or "",
        amount=row["amount"],
    )


@login_required
@require_POST
def plan_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The totals box, recomputed from the form as it is being typed (htmx); stores nothing."""
    application = _application(request, pk)
    costs, financing = plan_formsets(application, request.POST)
    figures = _figures_from_rows(application, _valid_rows(costs), _valid_rows(financing))
    return render(
        request,
        "grants/applicant/_plan_summary.html",
        {"application": application, "figures": figures, "live": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachments(request: HttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    if application is None:
        return _locked(request, _application(request, pk))
    document_types = application.programme.document_types.filter(
        stage=DocumentType.Stage.APPLICATION
    )
    form = AttachmentForm(_data(request), _files(request), document_types=document_types)
    refusal = None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.attachment_add(
                    application=application,
                    actor=request.user,
                    document_type=form.cleaned_data["document_type"],
                    upload=form.cleaned_data["file"],
                )
            except ActionRefused as exc:
                refusal = _refused(request, exc)
            else:
                messages.success(
                    request,
                    _("„%(name)s“ ist hochgeladen.") % {"name": form.cleaned_data["file"].name},
                )
                if request.POST.get("action") == "next":
                    return redirect("portal:check", pk=pk)
                return redirect("portal:attachments", pk=pk)
        elif request.POST.get("action") == "next" and not request.FILES:
            # "Weiter" without choosing a file is not an error: nothing to upload.
            return redirect("portal:check", pk=pk)
    present = application.attachments.select_related("document_type").filter(
        document_type__stage=DocumentType.Stage.APPLICATION
    )
    return render(
        request,
        "grants/applicant/step_attachments.html",
        _step_context(
            application,
            "attachments",
            form=form,
            refusal=refusal,
            present=present,
            document_types=document_types,
            missing_types=application.missing_document_types(),
        ),
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = _application(request, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except ActionRefused as exc:
        for message in _refused(request, exc):
            messages.error(request, message)
    else:
        messages.success(
            request, _("„%(name)s“ ist gelöscht.") % {"name": attachment.original_name}
        )
    return redirect(request.POST.get("next") or reverse("portal:attachments", args=[pk]))


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    application = _application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def letter_download(request: HttpRequest, pk: int, letter_pk: int) -> FileResponse:
    application = _application(request, pk)
    letter = get_object_or_404(application.letters, pk=letter_pk)
    return FileResponse(
        letter.file.open("rb"),
        as_attachment=True,
        filename=letter.filename,
        content_type="application/pdf",
    )


# --- check and submit -----------------------------------------------------------------------


@dataclass
class Missing:
    text: str
    step: str
    url: str


def missing_items(application: Application) -> list[Missing]:
    """Everything that stops the submission, each with the step where it is fixed.

    Detailed checks first; then every rule of the submit transition that still fails and has
    not been explained yet, so that a rule added to the model later is never silently missed.
    """
    pk = application.pk

    def at(step: str, anchor: str = "") -> str:
        if step == "profile":
            return reverse("applicants:applicant", args=[application.applicant_id])
        if step == "programmes":
            return reverse("portal:programmes")
        return reverse(f"portal:{step}", args=[pk]) + (f"#{anchor}" if anchor else "")

    found: list[Missing] = []
    labels = {
        "title": _("Projekttitel"),
        "summary": _("Kurzbeschreibung"),
        "goals": _("Ziele"),
        "start_date": _("Projektbeginn"),
        "end_date": _("Projektende"),
    }
    for field, label in labels.items():
        if not getattr(application, field):
            found.append(
                Missing(
                    _("%(field)s fehlt.") % {"field": label},
                    "project",
                    at("project", f"id_{field}"),
                )
            )
    programme = application.programme
    for manager, label, anchor in (
        (
            programme.target_groups,
            _("Bitte wählen Sie mindestens eine Zielgruppe."),
            "id_target_groups_0",
        ),
        (
            programme.fields_of_action,
            _("Bitte wählen Sie mindestens ein Thema."),
            "id_fields_of_action_0",
        ),
        (programme.areas, _("Bitte wählen Sie mindestens einen Ort."), "id_areas_0"),
    ):
        relation = {
            "id_target_groups_0": application.target_groups,
            "id_fields_of_action_0": application.fields_of_action,
            "id_areas_0": application.areas,
        }[anchor]
        if manager.exists() and not relation.exists():
            found.append(Missing(label, "classification", at("classification", anchor)))
    for problem in _stored_figures(application).problems:
        found.append(Missing(problem, "plan", at("plan", "plan-summary")))
    for document_type in application.missing_document_types():
        found.append(
            Missing(
                _("Die Anlage „%(name)s“ fehlt.") % {"name": document_type.name},
                "attachments",
                at("attachments"),
            )
        )
    applicant = application.applicant
    if not applicant.iban:
        found.append(
            Missing(
                _("Im Profil fehlt die Bankverbindung (IBAN)."),
                "profile",
                reverse("applicants:applicant_edit", args=[applicant.pk]) + "#id_iban",
            )
        )

    explained = {
        project_described: "project",
        period_within_limit: "project",
        plan_balances: "plan",
        grant_requested: "plan",
        within_cap: "plan",
        required_documents_attached: "attachments",
    }
    steps_with_items = {item.step for item in found}
    name = "submit" if application.state == S.DRAFT else "resubmit"
    transition = _submit_transition(application, name)
    for condition in transition.conditions if transition else []:
        if condition(application):
            continue
        step = explained.get(condition)
        if step is not None and step in steps_with_items:
            continue
        if condition is applicant_eligible:
            step = "profile"
        elif condition is call_open:
            step = "programmes"
        elif condition is not_started_yet:
            step = step or "project"
        else:
            step = step or "check"
        found.append(Missing(str(condition.message), step, at(step) if step != "check" else ""))
    return found


def _submit_transition(application: Application, name: str):
    meta = getattr(application, name)._django_fsm
    return meta.get_transition(meta.field.get_state(application))


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    if application is None:
        return _locked(request, _application(request, pk))
    resubmitting = application.state == S.CHANGES_REQUESTED
    form = ResubmitForm(_data(request))
    refusal: list[str] = []
    missing = missing_items(application)
    if request.method == "POST" and not missing and form.is_valid():
        try:
            if resubmitting:
                services.application_resubmit(
                    application=application, actor=request.user, note=form.cleaned_data["note"]
                )
            else:
                services.application_submit(application=application, actor=request.user)
        except ActionRefused as exc:
            refusal = _refused(request, exc)
        else:
            return redirect("portal:receipt", pk=pk)
    elif request.method == "POST" and missing:
        refusal = [_("Der Antrag ist noch nicht vollständig. Bitte ergänzen Sie die Punkte unten.")]
    figures = _stored_figures(application)
    return render(
        request,
        "grants/applicant/step_check.html",
        _step_context(
            application,
            "check",
            missing=missing,
            figures=figures,
            form=form,
            refusal=refusal,
            resubmitting=resubmitting,
            request_items=_open_request(application),
        ),
    )


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not application.file_number:
        return redirect("portal:check", pk=pk)
    return render(
        request,
        "grants/applicant/receipt.html",
        {"application": application, "step_info": next_step(application)},
    )


# --- after submission -----------------------------------------------------------------------


@dataclass
class TimelineEntry:
    when: dt.datetime
    text: str
    detail: str = ""


def _date(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    from django.utils import formats

    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _timeline_text(change: StatusChange, application: Application) -> str | None:
    """A plain-language sentence for one step; ``None`` for steps inside the office."""
    data = change.data or {}
    amount = data.get("amount")
    money = eur(Decimal(str(amount))) if amount not in (None, "") else ""
    if change.lifecycle == StatusChange.Lifecycle.PAYOUT:
        return {
            "request": _("Sie haben %(amount)s abgerufen.") % {"amount": money},
            "plan": _("Eine Auszahlung von %(amount)s ist geplant.") % {"amount": money},
            "order": _("Die Auszahlung ist angeordnet und geht an die Stadtkasse."),
            "mark_paid": _("Das Geld ist überwiesen."),
            "cancel": _("Eine Auszahlung wurde storniert."),
        }.get(change.transition)
    if change.lifecycle == StatusChange.Lifecycle.REPAYMENT_CLAIM:
        return {
            "settle": _("Ihre Rückzahlung ist eingegangen."),
            "cancel": _("Eine Rückforderung wurde aufgehoben."),
        }.get(change.transition)
    texts = {
        "submit": _("Sie haben den Antrag eingereicht. Er hat das Aktenzeichen %(file)s.")
        % {"file": application.file_number},
        "request_changes": _("Die Förderstelle bittet um weitere Unterlagen bis %(due)s.")
        % {"due": _date(data.get("due_date"))},
        "resubmit": _("Sie haben die Unterlagen nachgereicht."),
        "start_review": _("Der Antrag ist vollständig. Die Förderstelle prüft jetzt den Inhalt."),
        "refer_to_committee": _("Der Antrag wird im Gremium beraten (Sitzung am %(day)s).")
        % {"day": _date(data.get("meeting_date"))},
        "record_vote": _("Das Gremium hat beraten. Die Entscheidung folgt."),
        "approve": _("Ihr Antrag ist bewilligt: %(amount)s. Der Bescheid liegt vor.")
        % {"amount": money},
        "reject": _("Ihr Antrag ist abgelehnt."),
        "withdraw": _("Sie haben den Antrag zurückgezogen."),
        "waive_appeal": _("Sie haben den Bescheid angenommen. Er ist jetzt bestandskräftig."),
        "expire_appeal_period": _(
            "Die Frist für einen Widerspruch ist vorbei. Der Bescheid ist bestandskräftig."
        ),
        "start_project": _("Der Förderzeitraum hat begonnen."),
        "end_funding_period": _(
            "Der Förderzeitraum ist zu Ende. Bitte reichen Sie den Verwendungsnachweis bis %(due)s ein."
        )
        % {"due": _date(data.get("due"))},
        "extend_proof_deadline": _(
            "Die Frist für den Verwendungsnachweis ist verlängert bis %(due)s."
        )
        % {"due": _date(data.get("due_date"))},
        "submit_proof": _("Sie haben den Verwendungsnachweis eingereicht."),
        "resubmit_proof": _("Sie haben den Verwendungsnachweis ergänzt."),
        "request_proof_changes": _(
            "Die Förderstelle bittet um Ergänzungen zum Verwendungsnachweis bis %(due)s."
        )
        % {"due": _date(data.get("due_date"))},
        "accept_proof": _("Der Verwendungsnachweis ist geprüft."),
        "claim_repayment": _("Die Förderstelle fordert Geld zurück."),
        "record_repayment": _("Die Rückzahlung ist vollständig eingegangen."),
        "revoke": _("Der Bescheid ist widerrufen."),
        "close": _("Die Akte ist abgeschlossen."),
    }
    if change.transition in texts:
        return texts[change.transition]
    if change.transition.startswith("propose") or change.transition == "return_proposal":
        return None
    label = APPLICANT_LABELS.get(change.target_state)
    return _("Neuer Stand: %(label)s") % {"label": label} if label else None


def timeline(application: Application) -> list[TimelineEntry]:
    entries = []
    for change in application.status_changes.order_by("created_at", "id"):
        text = _timeline_text(change, application)
        if text is None:
            continue
        detail = ""
        # Reasons the applicant needs: what is missing, why rejected or revoked.
        if change.transition in (
            "request_changes",
            "request_proof_changes",
            "reject",
            "revoke",
            "withdraw",
            "claim_repayment",
            "resubmit",
        ):
            detail = change.reason
        entries.append(TimelineEntry(change.created_at, text, detail))
    return entries


def _open_request(application: Application) -> dict | None:
    """The items and deadline of the request the applicant has to answer now."""
    transition = {
        S.CHANGES_REQUESTED: "request_changes",
        S.PROOF_CHANGES_REQUESTED: "request_proof_changes",
    }.get(application.state)
    if transition is None:
        return None
    change = (
        application.status_changes.filter(transition=transition)
        .order_by("-created_at", "-id")
        .first()
    )
    if change is None:
        return None
    data = change.data or {}
    items = data.get("items") or [line for line in change.reason.splitlines() if line.strip()]
    return {
        "items": items,
        "due_date": application.response_due_date,
        "asked_at": change.created_at,
    }


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
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    decision = (
        application.decisions.filter(status=Decision.Status.CONFIRMED)
        .order_by("-confirmed_at")
        .first()
    )
    letters = []
    if hasattr(application, "letters"):
        letters = list(application.letters.order_by("created_at"))
    payouts = list(
        application.payouts.exclude(state=Payout.State.CANCELLED).order_by("due_date", "id")
    )
    return render(
        request,
        "grants/applicant/detail.html",
        {
            "application": application,
            "label": application.applicant_label,
            "step_info": next_step(application),
            "timeline": timeline(application),
            "mails": _mails(application, request.user),
            "request_items": _open_request(application),
            "decision": decision
            if decision and decision.outcome == Decision.Outcome.APPROVE
            else None,
            "rejection": decision
            if decision and decision.outcome == Decision.Outcome.REJECT
            else None,
            "letters": letters,
            "can_withdraw": lifecycle.is_offered(application, "withdraw", request.user),
            "can_waive": lifecycle.is_offered(application, "waive_appeal", request.user),
            "waive_form": WaiveForm(),
            "payouts": payouts,
            "can_request_payout": application.state in PAYABLE_STATES
            and application.approved_amount
            and application.paid_or_pending_amount < application.approved_amount,
            "claims": application.repayment_claims.exclude(state=RepaymentClaim.State.CANCELLED),
            "handler": _handler(application),
            "is_editable": application.state in EDITABLE_STATES,
            "proof_open": application.state in PROOF_STATES,
            "figures": _stored_figures(application),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = WithdrawForm(_data(request))
    refusal = lifecycle.refusals(application, "withdraw", request.user)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.application_withdraw(
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
def waive(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = WaiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte bestätigen Sie den Verzicht mit dem Häkchen."))
        return redirect(reverse("portal:detail", args=[pk]) + "#bescheid")
    try:
        services.application_waive_appeal(application=application, actor=request.user)
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
def payout(request: HttpRequest, pk: int) -> HttpResponse:
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
            services.payout_request(
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
            "payouts": application.payouts.order_by("due_date", "id"),
        },
    )


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


@login_required
@require_http_methods(["GET", "POST"])
def proof(request: HttpRequest, pk: int) -> HttpResponse:
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
            services.application_save_proof(
                application=application,
                actor=request.user,
                report=form.cleaned_data["report"],
                actual_costs=form.actual_costs(),
                actual_financing=form.actual_financing(),
            )
            if action == "submit":
                services.application_submit_proof(
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
def proof_receipt_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = ReceiptForm(request.POST, application=application)
    if form.is_valid():
        try:
            services.receipt_add(application=application, actor=request.user, **form.cleaned_data)
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
def proof_receipt_delete(request: HttpRequest, pk: int, receipt_pk: int) -> HttpResponse:
    application = _application(request, pk)
    entry = get_object_or_404(application.receipts, pk=receipt_pk)
    try:
        services.receipt_remove(receipt=entry, actor=request.user)
    except ActionRefused as exc:
        for message in _refused(request, exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Der Beleg ist aus der Liste gelöscht."))
    return redirect(reverse("portal:proof", args=[pk]) + "#belege")


@login_required
@require_POST
def proof_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
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
            services.attachment_add(
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
