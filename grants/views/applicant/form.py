"""The application form: start a draft from a call, fill it in five saved steps (project,
classification, plan, attachments, check), submit or resubmit, and see the receipt.

The attachments step lives in ``files`` with the other upload and download views.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from applicants import selectors as applicant_selectors
from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused
from grants.forms.applicant import (
    ClassificationForm,
    DeclarationsForm,
    ProjectForm,
    StartForm,
    plan_formsets,
)
from grants.models import (
    OWN_SHARE_KINDS,
    ZERO,
    Application,
    Call,
    FinancingCategory,
    FinancingKind,
    PlanSummary,
)
from grants.selectors.applications import application_answers
from grants.services.applications import (
    PlanLine,
    application_create,
    application_replace_plan,
    application_resubmit,
    application_submit,
    application_update_classification,
    application_update_project,
)
from grants.views.applicant.access import _application, _data, _editable, _locked, _refused
from grants.views.applicant.checklist import missing_items
from grants.views.applicant.common import PlanFigures, S, _open_request, _stored_figures, next_step

# --- start ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedHttpRequest, call_pk: int) -> HttpResponse:
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
    form = StartForm(_data(request), applicants=applicants, call=call)
    refusal = None
    if not call.is_open():
        refusal = [_("Dieser Förderaufruf ist nicht geöffnet. Anträge sind zurzeit nicht möglich.")]
    elif request.method == "POST" and form.is_valid():
        try:
            application = application_create(
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


def _after_save(
    request: AuthenticatedHttpRequest, application: Application, current: str
) -> HttpResponse:
    names = [name for name, _label in STEPS]
    if request.POST.get("action") == "next":
        return redirect(f"portal:{names[names.index(current) + 1]}", pk=application.pk)
    messages.success(request, _("Ihr Entwurf ist gespeichert."))
    return redirect(f"portal:{current}", pk=application.pk)


def save_project(application: Application, actor, data: dict) -> None:
    """The project step's answers, from the step's form or from its autosave."""
    application_update_project(
        application=application,
        actor=actor,
        title=data["title"],
        summary=data["summary"],
        goals=data["goals"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        expected_participants=data["expected_participants"],
        early_start_requested=data["early_start_requested"],
        early_start_reason=data["early_start_reason"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def project(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    if application is None:
        return _locked(request, _application(request, pk))
    form = ProjectForm(_data(request), instance=application, programme=application.programme)
    refusal = None
    if request.method == "POST":
        if form.is_valid():
            try:
                save_project(application, request.user, form.cleaned_data)
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


def save_classification(application: Application, actor, data: dict) -> None:
    """The classification step's answers, from the step's form or from its autosave."""
    application_update_classification(application=application, actor=actor, **data)


@login_required
@require_http_methods(["GET", "POST"])
def classification(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
            save_classification(application, request.user, form.cleaned_data)
        except ActionRefused as exc:
            refusal = _refused(request, exc)
        else:
            return _after_save(request, application, "classification")
    return render(
        request,
        "grants/applicant/step_classification.html",
        _step_context(application, "classification", form=form, refusal=refusal),
    )


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
        call=application.call,
        min_own_share_percent=application.programme.min_own_share_percent,
    )


def _valid_rows(formset) -> list[dict]:
    """Rows that parse, for live totals while other rows are still being typed."""
    rows = []
    for form in formset.forms:
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE"):
            rows.append(form.cleaned_data)
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
                    save_plan(application, request.user, costs, financing)
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


def save_plan(application: Application, actor, costs, financing) -> None:
    """The plan as typed (valid formsets), from the step's form or from its autosave."""
    application_replace_plan(
        application=application,
        actor=actor,
        costs=[_plan_line(row) for row in costs.rows()],
        financing=[_plan_line(row) for row in financing.rows()],
    )


def _plan_line(row: dict) -> PlanLine:
    return PlanLine(
        category_id=row["category"].pk,
        description=row.get("description", "") or "",
        amount=row["amount"],
    )


@login_required
@require_POST
def plan_summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The totals box, recomputed from the form as it is being typed (htmx); stores nothing."""
    application = _application(request, pk)
    costs, financing = plan_formsets(application, request.POST)
    figures = _figures_from_rows(application, _valid_rows(costs), _valid_rows(financing))
    return render(
        request,
        "grants/applicant/_plan_summary.html",
        {"application": application, "figures": figures, "live": True},
    )


# --- check and submit -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    if application is None:
        return _locked(request, _application(request, pk))
    resubmitting = application.state == S.CHANGES_REQUESTED
    form = DeclarationsForm(_data(request))
    refusal: list[str] = []
    missing = missing_items(application)
    if request.method == "POST" and not missing and form.is_valid():
        try:
            if resubmitting:
                application_resubmit(
                    application=application,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    declarations=form.declarations(),
                )
            else:
                application_submit(
                    application=application,
                    actor=request.user,
                    declarations=form.declarations(),
                )
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
            answers=application_answers(application),
            missing=missing,
            figures=figures,
            form=form,
            refusal=refusal,
            resubmitting=resubmitting,
            request_items=_open_request(application),
        ),
    )


@login_required
def receipt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not application.file_number:
        return redirect("portal:check", pk=pk)
    return render(
        request,
        "grants/applicant/receipt.html",
        {"application": application, "step_info": next_step(application)},
    )
