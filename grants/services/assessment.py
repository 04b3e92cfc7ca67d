"""Handling and review of a file: who is responsible, internal notes, the Prüfvermerk, and the
justification of an own share below the programme's minimum."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import User
from grants.errors import RuleViolated
from grants.lifecycle import record
from grants.models import (
    CASE_WORKER,
    Application,
    Assessment,
    AssignmentChange,
    ChecklistAnswer,
    CriterionScore,
    InternalNote,
    S,
    StaffRole,
    has_programme_role,
)
from grants.services.base import _changed_meanwhile, _require, _require_reason, _unchanged


@transaction.atomic
def application_record_own_share_justification(
    *, application: Application, actor: User, justification: str
) -> Application:
    """Aktenvermerk that allows an own share below the programme's minimum."""
    _require(CASE_WORKER, application, actor)
    if application.state not in (S.SUBMITTED, S.IN_REVIEW, S.AWAITING_VOTE, S.VOTED):
        raise RuleViolated(_("Ein Aktenvermerk ist nur während der Prüfung möglich."))
    application.own_share_justification = _require_reason(justification)
    application.save(update_fields=["own_share_justification"])
    return application


REVIEW_STATES = (S.SUBMITTED, S.IN_REVIEW, S.AWAITING_VOTE, S.VOTED)


# Steps recorded in the audit trail without changing the state (source == target, marked
# ``internal`` in their data): not creation steps, so docs/lifecycle.md does not list them.
IN_PLACE_ASSIGN = "assign"


IN_PLACE_ASSESS = "assess"


@transaction.atomic
def application_assign(
    *,
    application: Application,
    actor: User,
    assignee: User | None,
    reason: str = "",
    seen: str | None = None,
) -> Application:
    """Zuständigkeit: who handles the file. The history is kept in AssignmentChange."""
    _require(CASE_WORKER, application, actor)
    application = _unchanged(application, seen)
    if assignee is not None and not has_programme_role(
        assignee, application.programme_id, StaffRole.Role.CASE_WORKER
    ):
        raise RuleViolated(_("Diese Person ist nicht Sachbearbeitung dieses Programms."))
    previous_id = application.assigned_to_id
    if previous_id == (assignee.pk if assignee else None):
        raise RuleViolated(_("Diese Person ist bereits zuständig."))
    # Conditional write: only if nobody re-assigned the file since it was read.
    if not Application.objects.filter(pk=application.pk, assigned_to_id=previous_id).update(
        assigned_to=assignee
    ):
        raise _changed_meanwhile(application)
    application.assigned_to = assignee
    change = AssignmentChange.objects.create(
        application=application,
        previous_id=previous_id,
        assigned_to=assignee,
        actor=actor,
        reason=reason.strip(),
    )
    record(
        application,
        transition=IN_PLACE_ASSIGN,
        source=application.state,
        target=application.state,
        actor=actor,
        reason=reason.strip(),
        data={
            "internal": True,
            "assignment_id": change.pk,
            "previous": previous_id,
            "assigned_to": assignee.pk if assignee else None,
        },
        announce=False,
    )
    return application


@transaction.atomic
def internal_note_create(*, application: Application, actor: User, text: str) -> InternalNote:
    """Interner Vermerk; the note itself is the record, it is never shown to applicants."""
    _require(CASE_WORKER, application, actor)
    return InternalNote.objects.create(
        application=application, author=actor, text=_require_reason(text)
    )


def own_share_below_minimum(application: Application) -> bool:
    return not application.plan.own_share_reaches(application.programme.min_own_share_percent)


@transaction.atomic
def assessment_create(
    *,
    application: Application,
    actor: User,
    summary: str,
    recommendation: str,
    checklist: Mapping[int, tuple[bool, str]],
    scores: Mapping[int, tuple[int, str]],
    own_share_justification: str = "",
    seen: str | None = None,
) -> Assessment:
    """Prüfvermerk: the formal checklist, the scores per criterion of the programme, and the
    justification an own share below the programme's minimum needs."""
    _require(CASE_WORKER, application, actor)
    application = _unchanged(application, seen)
    if application.state not in REVIEW_STATES:
        raise RuleViolated(_("Ein Prüfvermerk ist nur während der Prüfung möglich."))
    summary = summary.strip()
    if not summary:
        raise RuleViolated(_("Bitte fassen Sie die fachliche Bewertung zusammen."))
    programme = application.programme
    items = list(programme.checklist_items.all())
    criteria = list(programme.assessment_criteria.all())
    messages = [
        _("Prüfpunkt „%(item)s“ ist nicht beantwortet.") % {"item": item.name}
        for item in items
        if item.pk not in checklist
    ]
    for criterion in criteria:
        score = scores.get(criterion.pk, (None, ""))[0]
        if score is None:
            messages.append(
                _("Kriterium „%(name)s“ ist nicht bewertet.") % {"name": criterion.name}
            )
        elif not 0 <= score <= criterion.max_score:
            messages.append(
                _("Kriterium „%(name)s“: 0 bis %(max)s Punkte.")
                % {"name": criterion.name, "max": criterion.max_score}
            )
    justification = own_share_justification.strip()
    if (
        recommendation == Assessment.Recommendation.APPROVE
        and own_share_below_minimum(application)
        and not (justification or application.own_share_justification.strip())
    ):
        messages.append(
            _(
                "Der Eigenanteil liegt unter %(min)s %%: Für eine Förderempfehlung ist eine "
                "Begründung im Aktenvermerk nötig."
            )
            % {"min": programme.min_own_share_percent}
        )
    if messages:
        raise RuleViolated(messages)
    weighted = sum((Decimal(scores[c.pk][0]) * c.weight for c in criteria), Decimal(0)).quantize(
        Decimal("0.01")
    )
    reachable = sum((Decimal(c.max_score) * c.weight for c in criteria), Decimal(0)).quantize(
        Decimal("0.01")
    )
    assessment = Assessment.objects.create(
        application=application,
        author=actor,
        summary=summary,
        recommendation=recommendation,
        score=weighted,
        max_score=reachable,
    )
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(
            assessment=assessment,
            item=item,
            fulfilled=checklist[item.pk][0],
            note=checklist[item.pk][1].strip(),
        )
        for item in items
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(
            assessment=assessment,
            criterion=c,
            score=scores[c.pk][0],
            note=scores[c.pk][1].strip(),
        )
        for c in criteria
    )
    if justification and justification != application.own_share_justification:
        application.own_share_justification = justification
        application.save(update_fields=["own_share_justification"])
    record(
        application,
        transition=IN_PLACE_ASSESS,
        source=application.state,
        target=application.state,
        actor=actor,
        reason=summary,
        data={
            "internal": True,
            "assessment_id": assessment.pk,
            "score": weighted,
            "max_score": reachable,
            "recommendation": recommendation,
        },
        announce=False,
    )
    return assessment
