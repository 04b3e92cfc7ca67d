"""The applicant portal's steps: drafts filled step by step, plans, attachments, the proof of use
kept as a draft until submitted. Each step locks the application row and checks its state again,
so a step taken on a stale page is refused instead of changing a submitted application."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass as _dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError as _ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max as _Max
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import User
from applicants.uploads import check_upload
from grants.errors import ChangedMeanwhile as _ChangedMeanwhile
from grants.errors import RuleViolated
from grants.models import (
    APPLICANT,
    EDITABLE_STATES,
    Application,
    Area,
    Attachment,
    CostCategory,
    CostLine,
    DocumentType,
    FieldOfAction,
    FinancingCategory,
    FinancingKind,
    FinancingLine,
    Receipt,
    TargetGroup,
    money,
)
from grants.services.base import S, _lock, _require

PROOF_EDITABLE_STATES = (S.RUNNING, S.PROOF_DUE, S.PROOF_CHANGES_REQUESTED)
# No single plan line of a small grant reaches ten million euros: such input is a typo.
MAX_LINE_AMOUNT = Decimal("10000000.00")


@_dataclass(frozen=True)
class PlanLine:
    category_id: int
    description: str
    amount: Decimal


def _lock_for_applicant(
    application: Application, actor: User, states: Sequence[str]
) -> Application:
    _require(APPLICANT, application, actor)
    locked = _lock(application)
    if locked.state not in states:
        if locked.state != application.state:
            raise _ChangedMeanwhile(
                _(
                    "Der Antrag wurde in der Zwischenzeit geändert. Bitte laden Sie die Seite "
                    "neu und prüfen Sie den aktuellen Stand."
                )
            )
        raise RuleViolated(
            _("In diesem Stand („%(state)s“) kann das nicht mehr geändert werden.")
            % {"state": locked.applicant_label}
        )
    return locked


def _money_in_range(value: Decimal, label: str) -> Decimal:
    value = money(value)
    if value <= 0:
        raise RuleViolated(_("%(line)s: Der Betrag muss größer als 0 € sein.") % {"line": label})
    if value > MAX_LINE_AMOUNT:
        raise RuleViolated(
            _("%(line)s: Der Betrag ist unrealistisch hoch. Bitte prüfen Sie Ihre Eingabe.")
            % {"line": label}
        )
    return value


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
    return application


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


@transaction.atomic
def application_save_proof(
    *,
    application: Application,
    actor: User,
    report: str,
    actual_costs: Mapping[int, Decimal | None],
    actual_financing: Mapping[int, Decimal | None],
) -> Application:
    """Keeps the proof of use as a draft: report and actual amounts, nothing submitted yet."""
    application = _lock_for_applicant(application, actor, PROOF_EDITABLE_STATES)
    for lines, actuals in (
        (application.cost_lines.all(), actual_costs),
        (application.financing_lines.exclude(category__kind=FinancingKind.GRANT), actual_financing),
    ):
        for line in lines:
            if line.pk not in actuals:
                continue
            value = actuals[line.pk]
            if value is not None:
                value = money(value)
                if value < 0:
                    raise RuleViolated(_("Beträge dürfen nicht negativ sein."))
                if value > MAX_LINE_AMOUNT:
                    raise RuleViolated(
                        _("Der Betrag ist unrealistisch hoch. Bitte prüfen Sie Ihre Eingabe.")
                    )
            line.actual_amount = value
            line.save(update_fields=["actual_amount"])
    application.proof_report = report.strip()
    application.save(update_fields=["proof_report"])
    return application


@transaction.atomic
def receipt_add(
    *,
    application: Application,
    actor: User,
    cost_line: CostLine,
    date: dt.date,
    payee: str,
    description: str,
    amount: Decimal,
) -> Receipt:
    """An entry of the list of receipts; numbered in order of entry."""
    application = _lock_for_applicant(application, actor, PROOF_EDITABLE_STATES)
    if cost_line.application_id != application.pk:
        raise RuleViolated(_("Diese Ausgabenposition gehört nicht zu diesem Antrag."))
    if date > timezone.localdate():
        raise RuleViolated(_("Das Belegdatum liegt in der Zukunft."))
    if not payee.strip() or not description.strip():
        raise RuleViolated(_("Bitte nennen Sie Empfänger*in und Zweck des Belegs."))
    number = (application.receipts.aggregate(m=_Max("number"))["m"] or 0) + 1
    return Receipt.objects.create(
        application=application,
        cost_line=cost_line,
        number=number,
        date=date,
        payee=payee.strip()[:200],
        description=description.strip()[:200],
        amount=_money_in_range(amount, _("Beleg")),
    )


@transaction.atomic
def receipt_remove(*, receipt: Receipt, actor: User) -> None:
    _lock_for_applicant(receipt.application, actor, PROOF_EDITABLE_STATES)
    Receipt.objects.filter(pk=receipt.pk).delete()
