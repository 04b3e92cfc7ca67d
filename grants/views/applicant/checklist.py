"""What still stops a submission, each item linked to the step where it is fixed.

The check step lists these items, and the step navigation marks a step done when none of
them belongs to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from grants.lifecycle import transition_of
from grants.models import (
    Application,
    amount_in_range,
    applicant_eligible,
    call_open,
    grant_requested,
    not_started_yet,
    period_within_limit,
    place_in_area,
    plan_balances,
    project_described,
    required_documents_attached,
)
from grants.views.applicant.common import S, _stored_figures


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
        place_in_area: "classification",
        plan_balances: "plan",
        grant_requested: "plan",
        amount_in_range: "plan",
        required_documents_attached: "attachments",
    }
    # Where the rules that no detailed check above explains are fixed.
    fixed_at = {applicant_eligible: "profile", call_open: "programmes", not_started_yet: "project"}
    steps_with_items = {item.step for item in found}
    name = "submit" if application.state == S.DRAFT else "resubmit"
    transition = transition_of(application, name)
    for condition in transition.conditions if transition else []:
        refusal = condition.refusal_for(application)
        if refusal is None:
            continue
        step = explained.get(condition)
        if step is not None and step in steps_with_items:
            continue
        step = step or fixed_at.get(condition, "check")
        found.append(Missing(refusal, step, at(step) if step != "check" else ""))
    return found
