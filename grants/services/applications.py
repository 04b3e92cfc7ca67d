"""Applications from the draft to the decision's preparation: the portal's steps (project, plan,
attachments, each locking the row and checking its state again), submission, requests for
changes, withdrawal, and the deadlines the system runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass as _dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError as _ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Applicant, Membership, User
from applicants.uploads import check_upload
from grants.errors import ActionRefused, NotPermitted, RuleViolated
from grants.lifecycle import check, fire
from grants.models import (
    EDITABLE_STATES,
    PROOF_EDITABLE_STATES,
    Application,
    Area,
    Attachment,
    Call,
    CostCategory,
    CostLine,
    Decision,
    DocumentType,
    FieldOfAction,
    FileNumberSequence,
    FinancingCategory,
    FinancingLine,
    S,
    TargetGroup,
    applicant_kind_refusal,
)
from grants.services.application_submissions import submission_create
from grants.services.base import (
    _lock_for_applicant,
    _money_in_range,
    _require_reason,
    _unless_changed,
    logger,
)
from grants.services.correspondence import request_items_create
from grants.services.early_start import early_start_create
from grants.services.queue import application_requested_refresh


@transaction.atomic
def application_create(*, actor: User, applicant: Applicant, call: Call, title: str) -> Application:
    if not Membership.objects.filter(user=actor, applicant=applicant).exists():
        raise NotPermitted(_("Sie handeln nicht für diese Antragsteller*in."))
    if not call.is_open():
        raise RuleViolated(_("Der Förderaufruf ist nicht geöffnet."))
    refusal = applicant_kind_refusal(call.programme, applicant.kind)
    if refusal:
        raise RuleViolated(refusal)
    application = Application(
        programme=call.programme,
        call=call,
        funding_area=call.funding_area,
        applicant=applicant,
        created_by=actor,
        title=title.strip(),
    )
    # The protected state field refuses the assignment that clean_fields() would make.
    application.full_clean(exclude=["state"])
    application.save()
    return application


def _next_file_number(application: Application) -> str:
    year = timezone.localdate().year
    sequence, _created = FileNumberSequence.objects.get_or_create(
        programme_id=application.programme_id, year=year
    )
    # The UPDATE holds the row lock until commit: racing submissions queue here, and a
    # rolled-back submission gives its number back, so numbers stay gap-free.
    FileNumberSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    sequence.refresh_from_db(fields=["last_number"])
    return f"{application.programme.code}-{year}-{sequence.last_number:04d}"


@transaction.atomic
def application_submit(
    *, application: Application, actor: User, declarations: dict | None = None
) -> Application:
    """Submits with the declarations given; the submission's PDF is the version of record.
    A draft that asks to start early becomes a request for consent to the early start
    (vorzeitiger Maßnahmebeginn) as it is submitted, decided by the case worker."""
    check(application, "submit", actor)
    fire(application, "submit", actor=actor, file_number=_next_file_number(application))
    if application.early_start_requested and not application.early_starts.exists():
        early_start_create(
            application=application,
            actor=actor,
            requested_start=application.start_date,
            reason=application.early_start_reason,
        )
    submission_create(application=application, actor=actor, declarations=declarations)
    return application


@transaction.atomic
def application_request_changes(
    *,
    application: Application,
    actor: User,
    items: Sequence[str],
    due_date: dt.date,
    announce: bool = True,
    seen: str | None = None,
) -> Application:
    """Nachforderung: lists what is missing and until when; unlocks the application."""
    application = _unless_changed(application, seen)
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise RuleViolated(_("Bitte nennen Sie mindestens eine fehlende Unterlage oder Angabe."))
    if due_date <= timezone.localdate():
        raise RuleViolated(_("Die Frist muss in der Zukunft liegen."))
    request = fire(
        application,
        "request_changes",
        actor=actor,
        reason="\n".join(items),
        data={"items": items, "due_date": due_date},
        announce=announce,
        due_date=due_date,
    )
    request_items_create(request=request, items=items)
    return application


@transaction.atomic
def application_resubmit(
    *, application: Application, actor: User, note: str = "", declarations: dict | None = None
) -> Application:
    fire(application, "resubmit", actor=actor, reason=note.strip())
    submission_create(application=application, actor=actor, declarations=declarations)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor: User, reason: str) -> Application:
    pending = application.pending_decision
    fire(application, "withdraw", actor=actor, reason=_require_reason(reason))
    if pending is not None:
        Decision.objects.filter(pk=pending.pk).update(status=Decision.Status.RETURNED)
    return application


@transaction.atomic
def application_start_review(
    *,
    application: Application,
    actor: User,
    note: str = "",
    announce: bool = True,
    seen: str | None = None,
) -> Application:
    application = _unless_changed(application, seen)
    fire(application, "start_review", actor=actor, reason=note.strip(), announce=announce)
    return application


@transaction.atomic
def application_expire_appeal_period(*, application: Application) -> Application:
    fire(application, "expire_appeal_period", actor=None)
    return application


@transaction.atomic
def application_start_project(*, application: Application) -> Application:
    fire(application, "start_project", actor=None)
    return application


@transaction.atomic
def application_end_funding_period(*, application: Application) -> Application:
    fire(application, "end_funding_period", actor=None, data={"due": application.proof_due_date})
    return application


def run_deadlines() -> dict[str, int]:
    """Moves every application whose deadline has passed; safe to run twice (a second run
    finds nothing in the old state). Each application is its own transaction, and one that is
    refused (changed meanwhile, say) is logged and left for the next run."""
    today = timezone.localdate()
    counts = {"final": 0, "running": 0, "proof_due": 0}
    steps = [
        ("final", S.APPROVED, {"appeal_deadline__lt": today}, application_expire_appeal_period),
        ("running", S.FINAL, {"funding_start__lte": today}, application_start_project),
        ("proof_due", S.RUNNING, {"funding_end__lt": today}, application_end_funding_period),
    ]
    for key, state, due, service in steps:
        for application in Application.objects.filter(state=state, **due):
            try:
                service(application=application)
            except ActionRefused as refused:
                logger.warning("deadline step %s refused for %s: %s", key, application, refused)
                continue
            counts[key] += 1
    return counts


@_dataclass(frozen=True)
class PlanLine:
    category_id: int
    description: str
    amount: Decimal


@transaction.atomic
def application_update_project(
    *,
    application: Application,
    actor: User,
    title: str,
    summary: str,
    goals: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    expected_participants: int | None,
    early_start_requested: bool,
    early_start_reason: str,
) -> Application:
    """Step "Projekt": what, why, when. A draft may stay incomplete; the check step lists
    what is missing. Contradictory input is refused."""
    application = _lock_for_applicant(application, actor, EDITABLE_STATES)
    title = title.strip()
    if not title:
        raise RuleViolated(_("Bitte geben Sie einen Projekttitel an."))
    if start_date and end_date and end_date < start_date:
        raise RuleViolated(_("Das Projektende liegt vor dem Projektbeginn."))
    if early_start_requested and not early_start_reason.strip():
        raise RuleViolated(_("Bitte begründen Sie, warum das Projekt vorzeitig beginnen soll."))
    application.title = title
    application.summary = summary.strip()
    application.goals = goals.strip()
    application.start_date = start_date
    application.end_date = end_date
    application.expected_participants = expected_participants
    application.early_start_requested = early_start_requested
    application.early_start_reason = early_start_reason.strip() if early_start_requested else ""
    fields = [
        "title",
        "summary",
        "goals",
        "start_date",
        "end_date",
        "expected_participants",
        "early_start_requested",
        "early_start_reason",
    ]
    try:
        application.full_clean(exclude=["state", "call", "programme", "applicant", "created_by"])
    except _ValidationError as exc:
        raise RuleViolated(exc.messages) from exc
    application.save(update_fields=fields)
    return application


@transaction.atomic
def application_update_classification(
    *,
    application: Application,
    actor: User,
    target_groups: Sequence[TargetGroup],
    fields_of_action: Sequence[FieldOfAction],
    areas: Sequence[Area],
) -> Application:
    """Step "Zuordnung": target groups, fields of action and areas of the programme."""
    application = _lock_for_applicant(application, actor, EDITABLE_STATES)
    for items in (target_groups, fields_of_action, areas):
        if any(item.programme_id != application.programme_id for item in items):
            raise RuleViolated(_("Diese Auswahl gehört nicht zu diesem Förderprogramm."))
    application.target_groups.set(target_groups)
    application.fields_of_action.set(fields_of_action)
    application.areas.set(areas)
    return application


# What a plan may hold: far more than any real project needs, few enough to stay cheap.
MAX_COST_LINES = 60
MAX_FINANCING_LINES = 30


@transaction.atomic
def application_replace_plan(
    *,
    application: Application,
    actor: User,
    costs: Sequence[PlanLine],
    financing: Sequence[PlanLine],
) -> Application:
    """Step "Kosten und Finanzierung": the plan's rows are replaced as a whole. The plan may
    be unbalanced while it is a draft; submission requires it to balance."""
    if len(costs) > MAX_COST_LINES or len(financing) > MAX_FINANCING_LINES:
        raise RuleViolated(
            _(
                "Ein Finanzplan hat höchstens %(costs)s Ausgaben- und %(financing)s Finanzierungszeilen."
            )
            % {"costs": MAX_COST_LINES, "financing": MAX_FINANCING_LINES}
        )
    application = _lock_for_applicant(application, actor, EDITABLE_STATES)
    cost_categories = set(
        CostCategory.objects.filter(programme_id=application.programme_id).values_list(
            "pk", flat=True
        )
    )
    financing_categories = set(
        FinancingCategory.objects.filter(programme_id=application.programme_id).values_list(
            "pk", flat=True
        )
    )
    cost_rows = []
    for position, line in enumerate(costs, 1):
        label = _("Ausgaben, Zeile %(n)s") % {"n": position}
        if line.category_id not in cost_categories:
            raise RuleViolated(_("%(line)s: Bitte wählen Sie eine Ausgabenart.") % {"line": label})
        if not line.description.strip():
            raise RuleViolated(_("%(line)s: Bitte beschreiben Sie die Ausgabe.") % {"line": label})
        cost_rows.append(
            CostLine(
                application=application,
                category_id=line.category_id,
                description=line.description.strip()[:200],
                amount=_money_in_range(line.amount, label),
                position=position,
            )
        )
    financing_rows = []
    for position, line in enumerate(financing, 1):
        label = _("Finanzierung, Zeile %(n)s") % {"n": position}
        if line.category_id not in financing_categories:
            raise RuleViolated(
                _("%(line)s: Bitte wählen Sie eine Finanzierungsart.") % {"line": label}
            )
        financing_rows.append(
            FinancingLine(
                application=application,
                category_id=line.category_id,
                description=line.description.strip()[:200],
                amount=_money_in_range(line.amount, label),
                position=position,
            )
        )
    application.cost_lines.all().delete()
    application.financing_lines.all().delete()
    CostLine.objects.bulk_create(cost_rows)
    FinancingLine.objects.bulk_create(financing_rows)
    return application_requested_refresh(application=application)


def _attachment_states(document_type: DocumentType) -> Sequence[str]:
    if document_type.stage == DocumentType.Stage.PROOF_OF_USE:
        return PROOF_EDITABLE_STATES
    if document_type.stage == DocumentType.Stage.CORRESPONDENCE:
        return [state for state in S.values if state not in (S.DRAFT, S.CLOSED)]
    return EDITABLE_STATES


@transaction.atomic
def attachment_add(
    *,
    application: Application,
    actor: User,
    document_type: DocumentType,
    upload: UploadedFile,
) -> Attachment:
    """An attachment checked by its content (PDF, images, office documents) and size, stored
    under a random name outside the web root."""
    if document_type.programme_id != application.programme_id:
        raise RuleViolated(_("Diese Dokumentart gehört nicht zu diesem Förderprogramm."))
    application = _lock_for_applicant(application, actor, _attachment_states(document_type))
    try:
        content_type = check_upload(upload)
    except _ValidationError as exc:
        raise RuleViolated(exc.messages) from exc
    return Attachment.objects.create(
        application=application,
        document_type=document_type,
        file=upload,
        original_name=(upload.name or "anlage")[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    _lock_for_applicant(attachment.application, actor, _attachment_states(attachment.document_type))
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
