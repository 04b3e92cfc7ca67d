"""The case-work screens' steps. Each takes ``seen``, the fingerprint of the application when the
acting person loaded it (``application_seen``); a different fingerprint means somebody else
acted meanwhile, and the step is refused with ChangedMeanwhile instead of overwriting what they
did."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import User
from grants import budget
from grants import interest as interest_rules
from grants.calculations import justified_grant
from grants.errors import ActionRefused, ChangedMeanwhile, NotPermitted, RuleViolated
from grants.formatting import eur
from grants.lifecycle import check, fire, record
from grants.models import (
    CASE_WORKER,
    ZERO,
    AgendaItem,
    Application,
    Assessment,
    AssignmentChange,
    BaseRate,
    BudgetEntry,
    ChecklistAnswer,
    Committee,
    CommitteeMember,
    ConflictOfInterest,
    CriterionScore,
    Decision,
    FinancingKind,
    InternalNote,
    LetterTemplate,
    Meeting,
    MemberVote,
    Payout,
    PlannedInstalment,
    Programme,
    ProofCheck,
    ProofCheckLine,
    RepaymentClaim,
    StaffRole,
    has_programme_role,
    money,
)
from grants.services.applications import (
    application_confirm_decision,
    application_propose_approval,
    application_propose_rejection,
    application_record_vote,
)
from grants.services.base import S, _lock, _require, _require_reason
from grants.services.payouts import payout_plan
from grants.services.proof import repayment_claim_settle

REVIEW_STATES = (S.SUBMITTED, S.IN_REVIEW, S.AWAITING_VOTE, S.VOTED)
# Steps recorded in the audit trail without changing the state (source == target, marked
# ``internal`` in their data): not creation steps, so docs/lifecycle.md does not list them.
IN_PLACE_ASSIGN = "assign"
IN_PLACE_ASSESS = "assess"


def application_seen(application: Application) -> str:
    """Fingerprint of what a person saw: the state and the last recorded step."""
    last = application.status_changes.aggregate(last=Max("id"))["last"] or 0
    return f"{application.state}.{last}"


def _changed_meanwhile(application: Application) -> ChangedMeanwhile:
    return ChangedMeanwhile(
        _(
            "Der Antrag wurde in der Zwischenzeit von jemand anderem bearbeitet und steht "
            "jetzt auf „%(state)s“. Es wurde nichts geändert; bitte prüfen Sie den aktuellen "
            "Stand."
        )
        % {"state": application.get_state_display()}
    )


def _unchanged(application: Application, seen: str | None) -> Application:
    """Locks the application and refuses if it changed since ``seen`` was taken."""
    application = _lock(application)
    if seen is not None and application_seen(application) != seen:
        raise _changed_meanwhile(application)
    return application


def _require_case_worker_of(programme_id: int, actor: User) -> None:
    if not has_programme_role(actor, programme_id, StaffRole.Role.CASE_WORKER):
        raise NotPermitted(CASE_WORKER.refusal)


@transaction.atomic
def casework_step(
    service: Callable[..., Any], *, application: Application, seen: str | None, **kwargs: Any
) -> Any:
    """Runs ``service`` on the application as the person saw it, or refuses (ChangedMeanwhile)."""
    return service(application=_unchanged(application, seen), **kwargs)


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
def application_add_note(*, application: Application, actor: User, text: str) -> InternalNote:
    """Interner Vermerk; the note itself is the record, it is never shown to applicants."""
    _require(CASE_WORKER, application, actor)
    return InternalNote.objects.create(
        application=application, author=actor, text=_require_reason(text)
    )


def own_share_below_minimum(application: Application) -> bool:
    return application.plan.own_share_percent < application.programme.min_own_share_percent


@transaction.atomic
def application_record_assessment(
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


# --- committees and meetings


def _meeting_unchanged(meeting: Meeting, version: int | None) -> Meeting:
    """Raises the meeting's version, or refuses if somebody else changed it meanwhile."""
    query = Meeting.objects.filter(pk=meeting.pk)
    if version is not None:
        query = query.filter(version=version)
    if not query.update(version=F("version") + 1):
        raise ChangedMeanwhile(
            _(
                "Die Sitzung wurde in der Zwischenzeit von jemand anderem bearbeitet. Es wurde "
                "nichts geändert; bitte prüfen Sie den aktuellen Stand."
            )
        )
    meeting.refresh_from_db()
    if meeting.closed_at is not None:
        raise RuleViolated(_("Die Sitzung ist abgeschlossen und kann nicht mehr geändert werden."))
    return meeting


@transaction.atomic
def meeting_create(*, committee_id: int, actor: User, date: dt.date, location: str = "") -> Meeting:
    committee = Committee.objects.get(pk=committee_id)
    _require_case_worker_of(committee.programme_id, actor)
    meeting = Meeting(committee=committee, date=date, location=location.strip(), created_by=actor)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def application_put_on_agenda(
    *,
    application: Application,
    actor: User,
    meeting: Meeting,
    proposed_amount: Decimal,
    note: str = "",
    seen: str | None = None,
) -> AgendaItem:
    """Puts the application on a meeting's agenda: it now waits for the committee's vote."""
    application = _unchanged(application, seen)
    check(application, "refer_to_committee", actor)
    if meeting.committee.programme_id != application.programme_id:
        raise RuleViolated(_("Das Gremium gehört nicht zu diesem Programm."))
    meeting = _meeting_unchanged(meeting, None)
    proposed_amount = money(proposed_amount)
    requested = application.plan.requested_amount
    if not ZERO < proposed_amount <= requested:
        raise RuleViolated(
            _("Der vorgeschlagene Betrag muss über 0 € und höchstens %(requested)s sein.")
            % {"requested": eur(requested)}
        )
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        application=application,
        position=position,
        proposed_amount=proposed_amount,
    )
    fire(
        application,
        "refer_to_committee",
        actor=actor,
        reason=note.strip(),
        data={
            "body": meeting.committee.name,
            "meeting_date": meeting.date,
            "meeting_id": meeting.pk,
            "proposed_amount": proposed_amount,
        },
        announce=False,
    )
    return item


@transaction.atomic
def agenda_item_declare_conflict(
    *,
    item: AgendaItem,
    actor: User,
    member: CommitteeMember,
    reason: str = "",
    version: int | None = None,
) -> ConflictOfInterest:
    """Befangenheit of a member for one item: the member will not vote on it."""
    _require_case_worker_of(item.meeting.committee.programme_id, actor)
    _meeting_unchanged(item.meeting, version)
    if member.committee_id != item.meeting.committee_id:
        raise RuleViolated(_("Diese Person gehört nicht zum Gremium."))
    if item.vote_id is not None:
        raise RuleViolated(_("Über diesen Punkt wurde bereits abgestimmt."))
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        agenda_item=item, member=member, defaults={"reason": reason.strip()}
    )
    return conflict


@transaction.atomic
def agenda_item_record_votes(
    *,
    item: AgendaItem,
    actor: User,
    votes: Mapping[int, str],
    recommended_amount: Decimal | None = None,
    note: str = "",
    version: int | None = None,
) -> AgendaItem:
    """Stimmen per member: conflicted members do not vote; a majority of yes over no makes
    the committee recommend approval. The application's vote is recorded with the counts."""
    meeting = item.meeting
    _require_case_worker_of(meeting.committee.programme_id, actor)
    _meeting_unchanged(meeting, version)
    item.refresh_from_db()
    if item.vote_id is not None:
        raise RuleViolated(_("Über diesen Punkt wurde bereits abgestimmt."))
    members = {m.pk: m for m in meeting.committee.members.filter(is_active=True)}
    conflicted = set(item.conflicts.values_list("member_id", flat=True))
    messages = []
    for member_id in votes:
        if member_id not in members:
            messages.append(_("Eine Stimme stammt nicht von einem Mitglied des Gremiums."))
        elif member_id in conflicted:
            messages.append(
                _("%(name)s ist befangen und stimmt über diesen Punkt nicht ab.")
                % {"name": members[member_id]}
            )
    if any(choice not in MemberVote.Choice.values for choice in votes.values()):
        messages.append(_("Ungültige Stimme."))
    if not votes:
        messages.append(_("Es wurde keine Stimme erfasst."))
    if messages:
        raise RuleViolated(messages)
    MemberVote.objects.bulk_create(
        MemberVote(agenda_item=item, member_id=member_id, choice=choice)
        for member_id, choice in votes.items()
    )
    counts = {choice: list(votes.values()).count(choice) for choice in MemberVote.Choice.values}
    approve = counts["yes"] > counts["no"]
    amount = money(recommended_amount) if recommended_amount else item.proposed_amount
    if approve and amount > item.application.plan.requested_amount:
        raise RuleViolated(_("Der empfohlene Betrag übersteigt die beantragte Zuwendung."))
    vote = application_record_vote(
        application=item.application,
        actor=actor,
        body=meeting.committee.name,
        meeting_date=meeting.date,
        votes_yes=counts["yes"],
        votes_no=counts["no"],
        votes_abstain=counts["abstain"],
        recommendation=Decision.Outcome.APPROVE if approve else Decision.Outcome.REJECT,
        recommended_amount=amount if approve else None,
        note=note,
    )
    item.vote = vote
    item.result = AgendaItem.Result.APPROVE if approve else AgendaItem.Result.REJECT
    item.recommended_amount = amount if approve else None
    item.save(update_fields=["vote", "result", "recommended_amount"])
    return item


@transaction.atomic
def meeting_save_minutes(
    *, meeting: Meeting, actor: User, minutes: str, close: bool = False, version: int | None = None
) -> Meeting:
    _require_case_worker_of(meeting.committee.programme_id, actor)
    meeting = _meeting_unchanged(meeting, version)
    meeting.minutes = minutes.strip()
    fields = ["minutes"]
    if close:
        if meeting.items.filter(vote__isnull=True).exists():
            raise RuleViolated(
                _("Es sind noch Tagesordnungspunkte ohne Abstimmung: bitte zuerst abstimmen.")
            )
        if not meeting.minutes:
            raise RuleViolated(_("Bitte erfassen Sie die Niederschrift."))
        meeting.closed_at = timezone.now()
        fields.append("closed_at")
    meeting.save(update_fields=fields)
    return meeting


def suggest_year_split(amount: Decimal, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """Shares per fiscal year in proportion to the project days in each year; the last
    year takes the rounding difference."""
    amount = money(amount)
    total_days = (end - start).days + 1
    split: dict[int, Decimal] = {}
    for year in range(start.year, end.year + 1):
        first = max(start, dt.date(year, 1, 1))
        last = min(end, dt.date(year, 12, 31))
        split[year] = money(amount * ((last - first).days + 1) / total_days)
    split[end.year] += amount - sum(split.values(), ZERO)
    return {year: value for year, value in split.items() if value > 0}


@transaction.atomic
def meeting_propose_decisions(*, meeting: Meeting, actor: User) -> list[Decision]:
    """Proposes the decision of every voted item in one go: approval with the recommended
    amount for the project's period, or rejection. All or nothing: if one item is refused,
    nothing is proposed and every reason is named."""
    _require_case_worker_of(meeting.committee.programme_id, actor)
    decisions: list[Decision] = []
    messages: list[str] = []
    today = timezone.localdate()
    for item in meeting.items.select_related("application").filter(vote__isnull=False):
        application = _lock(item.application)
        if application.state != S.VOTED:
            continue
        try:
            with transaction.atomic():
                if item.result == AgendaItem.Result.APPROVE:
                    start = max(application.start_date or today, today)
                    end = max(application.end_date or start, start)
                    amount = item.recommended_amount or item.proposed_amount
                    decisions.append(
                        application_propose_approval(
                            application=application,
                            actor=actor,
                            amount=amount,
                            funding_start=start,
                            funding_end=end,
                            purpose=application.title,
                            year_amounts=suggest_year_split(amount, start, end),
                            note=_("Votum %(body)s vom %(date)s")
                            % {"body": meeting.committee.name, "date": f"{meeting.date:%d.%m.%Y}"},
                        )
                    )
                else:
                    decisions.append(
                        application_propose_rejection(
                            application=application,
                            actor=actor,
                            reasons=_(
                                "Das Gremium %(body)s hat am %(date)s die Ablehnung empfohlen."
                            )
                            % {"body": meeting.committee.name, "date": f"{meeting.date:%d.%m.%Y}"},
                        )
                    )
        except ActionRefused as refused:
            messages.extend(f"{application.file_number}: {m}" for m in refused.messages)
    if messages:
        raise RuleViolated(messages)
    if not decisions:
        raise RuleViolated(
            _("In dieser Sitzung gibt es keine Voten, die noch zu entscheiden sind.")
        )
    return decisions


@transaction.atomic
def meeting_confirm_decisions(*, meeting: Meeting, actor: User) -> list[Decision]:
    """The second person confirms every proposal of the meeting in one go; all or nothing,
    so that the budget is never half committed for a meeting."""
    _require_case_worker_of(meeting.committee.programme_id, actor)
    confirmed: list[Decision] = []
    messages: list[str] = []
    for item in meeting.items.select_related("application"):
        application = _lock(item.application)
        if application.state != S.DECISION_PROPOSED:
            continue
        try:
            with transaction.atomic():
                confirmed.append(application_confirm(application=application, actor=actor))
        except ActionRefused as refused:
            messages.extend(f"{application.file_number}: {m}" for m in refused.messages)
    if messages:
        raise RuleViolated(messages)
    if not confirmed:
        raise RuleViolated(_("In dieser Sitzung gibt es keine Vorschläge zu bestätigen."))
    return confirmed


# --- decisions with payment plan and letter


def _check_instalments(
    instalments: Sequence[tuple[dt.date, Decimal]], amount: Decimal, end: dt.date
) -> list[tuple[dt.date, Decimal]]:
    plan = [(due, money(value)) for due, value in instalments if value]
    if not plan:
        return []
    if any(value <= 0 for _due, value in plan):
        raise RuleViolated(_("Raten müssen positiv sein."))
    if sum((value for _due, value in plan), ZERO) != amount:
        raise RuleViolated(
            _("Die Raten des Zahlungsplans ergeben %(sum)s, bewilligt werden sollen %(amount)s.")
            % {"sum": eur(sum((v for _d, v in plan), ZERO)), "amount": eur(amount)}
        )
    if any(due > end for due, _value in plan):
        raise RuleViolated(_("Raten dürfen nicht nach dem Ende des Förderzeitraums fällig sein."))
    return sorted(plan)


@transaction.atomic
def application_propose_notice(
    *,
    application: Application,
    actor: User,
    amount: Decimal,
    funding_start: dt.date,
    funding_end: dt.date,
    purpose: str,
    conditions: str = "",
    financing_type: str | None = None,
    year_amounts: Mapping[int, Decimal] | None = None,
    instalments: Sequence[tuple[dt.date, Decimal]] = (),
    note: str = "",
    seen: str | None = None,
) -> Decision:
    """Proposal of a funding notice with its payment plan (first pair of eyes)."""
    application = _unchanged(application, seen)
    plan = _check_instalments(instalments, money(amount), funding_end)
    decision = application_propose_approval(
        application=application,
        actor=actor,
        amount=amount,
        funding_start=funding_start,
        funding_end=funding_end,
        purpose=purpose,
        conditions=conditions,
        financing_type=financing_type or None,
        year_amounts=year_amounts,
        note=note,
    )
    PlannedInstalment.objects.bulk_create(
        PlannedInstalment(decision=decision, due_date=due, amount=value) for due, value in plan
    )
    return decision


@transaction.atomic
def application_confirm(
    *, application: Application, actor: User, note: str = "", seen: str | None = None
) -> Decision:
    """Second pair of eyes confirms; the letter (notice or rejection) is made and stored with
    the application. The notification of the decision attaches the same letter."""
    from grants import letters

    application = _unchanged(application, seen)
    decision = application_confirm_decision(application=application, actor=actor, note=note)
    letters.letter_for_decision(decision, actor=actor)
    return decision


@transaction.atomic
def payouts_plan_from_notice(*, application: Application, actor: User) -> list[Payout]:
    """Turns the payment plan of the notice into planned payouts, once the notice is final."""
    _require(CASE_WORKER, application, actor)
    application = _lock(application)
    decision = (
        application.decisions.filter(
            status=Decision.Status.CONFIRMED, outcome=Decision.Outcome.APPROVE
        )
        .order_by("-id")
        .first()
    )
    instalments = list(decision.planned_instalments.all()) if decision else []
    if not instalments:
        raise RuleViolated(_("Der Bescheid enthält keinen Zahlungsplan."))
    if application.payouts.exclude(state=Payout.State.CANCELLED).exists():
        raise RuleViolated(_("Es gibt bereits Auszahlungen; bitte einzeln planen."))
    today = timezone.localdate()
    return [
        payout_plan(
            application=application,
            actor=actor,
            amount=instalment.amount,
            due_date=max(instalment.due_date, today),
            kind=Payout.Kind.FINAL if last else Payout.Kind.INSTALMENT,
        )
        for last, instalment in (
            (i == len(instalments) - 1, inst) for i, inst in enumerate(instalments)
        )
    ]


# --- proof of use, repayment and interest


@transaction.atomic
def application_check_proof(
    *,
    application: Application,
    actor: User,
    depth: str,
    findings: str,
    recognised: Mapping[int, tuple[Decimal, str]] | None = None,
    seen: str | None = None,
) -> ProofCheck:
    """Prüfung des Verwendungsnachweises. A quick check takes the actual figures as claimed;
    an in-depth check may recognise less per cost line (with a reason). The grant these
    figures justify is computed by the notice's financing type; money paid beyond it can
    then be claimed back."""
    application = _unchanged(application, seen)
    check(application, "accept_proof", actor)
    findings = _require_reason(findings)
    recognised = recognised or {}
    if depth == ProofCheck.Depth.QUICK and recognised:
        raise RuleViolated(_("Abweichende Beträge setzen eine vertiefte Prüfung voraus."))
    lines: list[ProofCheckLine] = []
    total = ZERO
    for line in application.cost_lines.all():
        claimed = line.actual_amount if line.actual_amount is not None else ZERO
        value, why = recognised.get(line.pk, (claimed, ""))
        value = money(value)
        if not ZERO <= value <= claimed:
            raise RuleViolated(
                _("„%(line)s“: anerkannt werden können 0 € bis %(claimed)s.")
                % {"line": line.description, "claimed": eur(claimed)}
            )
        if value < claimed and not why.strip():
            raise RuleViolated(
                _("„%(line)s“: Bitte begründen Sie die Kürzung.") % {"line": line.description}
            )
        lines.append(
            ProofCheckLine(
                cost_line=line, claimed_amount=claimed, recognised_amount=value, note=why.strip()
            )
        )
        total += value
    other = (
        application.financing_lines.exclude(category__kind=FinancingKind.GRANT).aggregate(
            s=Sum("actual_amount")
        )["s"]
        or ZERO
    )
    justified = justified_grant(
        financing_type=application.financing_type,
        approved=application.approved_amount,
        planned_costs=application.plan.total_costs,
        actual_costs=total,
        actual_other_financing=other,
    )
    proof_check = ProofCheck.objects.create(
        application=application,
        depth=depth,
        findings=findings,
        recognised_costs=total,
        justified_amount=justified,
        checked_by=actor,
    )
    for line in lines:
        line.check_record = proof_check
    ProofCheckLine.objects.bulk_create(lines)
    fire(
        application,
        "accept_proof",
        actor=actor,
        reason=findings,
        data={
            "justified_amount": justified,
            "paid": application.paid_amount,
            "recognised_costs": total,
            "depth": depth,
            "check_id": proof_check.pk,
        },
        justified_amount=justified,
    )
    budget.reduce_commitment(
        application=application,
        to=max(justified, application.paid_amount),
        kind=BudgetEntry.Kind.RELEASE,
        actor=actor,
        note=_("Verwendungsnachweis %(file)s") % {"file": application.file_number},
    )
    return proof_check


def base_rates() -> list[tuple[dt.date, Decimal]]:
    return list(BaseRate.objects.values_list("valid_from", "rate_percent"))


def repayment_interest(claim: RepaymentClaim, until: dt.date) -> interest_rules.InterestResult:
    """§ 49a VwVfG interest on ``claim`` if it is repaid on ``until``: from each payout the
    claim takes back (latest first) up to the day of repayment."""
    paid = claim.application.payouts.filter(state=Payout.State.PAID).values_list(
        "paid_on", "amount"
    )
    try:
        taken = interest_rules.allocate_latest_first(claim.principal, list(paid))
        return interest_rules.interest_49a(amounts=taken, until=until, rates=base_rates())
    except LookupError as exc:
        raise RuleViolated(
            _(
                "Für den Zeitraum ist kein Basiszinssatz hinterlegt; bitte in der Verwaltung ergänzen."
            )
        ) from exc
    except ValueError as exc:
        raise RuleViolated(_("Die Rückforderung übersteigt die ausgezahlten Mittel.")) from exc


@transaction.atomic
def repayment_claim_record_repayment(
    *, claim: RepaymentClaim, actor: User, repaid_on: dt.date, seen: str | None = None
) -> RepaymentClaim:
    """Records the repayment with the interest computed under § 49a VwVfG."""
    _unchanged(claim.application, seen)
    interest = repayment_interest(claim, repaid_on).total
    return repayment_claim_settle(claim=claim, actor=actor, repaid_on=repaid_on, interest=interest)


@transaction.atomic
def letter_template_save(
    *,
    programme: Programme,
    actor: User,
    kind: str,
    language: str,
    subject: str,
    body: str,
    legal_remedies: str,
) -> LetterTemplate:
    """Staff edit the text of a programme's letters; a template that does not render is refused."""
    from grants import letters

    _require_case_worker_of(programme.pk, actor)
    template, _created = LetterTemplate.objects.get_or_create(
        programme=programme,
        kind=kind,
        language=language,
        defaults={"subject": subject, "body": body, "legal_remedies": legal_remedies},
    )
    template.subject, template.body = subject.strip(), body.strip()
    template.legal_remedies = legal_remedies.strip()
    template.updated_by, template.updated_at = actor, timezone.now()
    letters.validate_template(template)
    template.full_clean()
    template.save()
    return template
