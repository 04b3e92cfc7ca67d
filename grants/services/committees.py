"""Committees: meetings, the agenda, conflicts of interest, the members' votes, minutes, and the
decisions of a whole meeting proposed and confirmed in one go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import User
from core.formatting import eur
from grants.errors import ActionRefused, ChangedMeanwhile, RuleViolated
from grants.lifecycle import check, fire
from grants.models import (
    ZERO,
    AgendaItem,
    Application,
    Committee,
    CommitteeMember,
    CommitteeVote,
    ConflictOfInterest,
    Decision,
    Meeting,
    MemberVote,
    S,
    money,
)
from grants.permissions import require_case_worker_of
from grants.services.base import _lock, _unchanged
from grants.services.decisions import (
    decision_confirm,
    decision_propose,
    decision_propose_rejection,
    suggest_year_split,
)


def _committee_vote_record(
    *,
    application: Application,
    actor: User,
    body: str,
    meeting_date: dt.date,
    votes_yes: int,
    votes_no: int,
    votes_abstain: int,
    recommendation: str,
    recommended_amount: Decimal | None = None,
    note: str = "",
) -> CommitteeVote:
    """The committee's vote on the application, counted from its members' votes."""
    check(application, "record_vote", actor)
    if min(votes_yes, votes_no, votes_abstain) < 0:
        raise RuleViolated(_("Stimmenzahlen dürfen nicht negativ sein."))
    vote = CommitteeVote(
        application=application,
        body=body,
        meeting_date=meeting_date,
        votes_yes=votes_yes,
        votes_no=votes_no,
        votes_abstain=votes_abstain,
        recommendation=recommendation,
        recommended_amount=recommended_amount,
        recorded_by=actor,
    )
    vote.full_clean(exclude=["application", "recorded_by"])
    vote.save()
    fire(
        application,
        "record_vote",
        actor=actor,
        reason=note.strip(),
        data={
            "vote_id": vote.pk,
            "recommendation": recommendation,
            "yes": votes_yes,
            "no": votes_no,
            "abstain": votes_abstain,
        },
    )
    return vote


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
    require_case_worker_of(committee.programme_id, actor)
    meeting = Meeting(committee=committee, date=date, location=location.strip(), created_by=actor)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def agenda_item_create(
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
    require_case_worker_of(item.meeting.committee.programme_id, actor)
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
    require_case_worker_of(meeting.committee.programme_id, actor)
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
    vote = _committee_vote_record(
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
    require_case_worker_of(meeting.committee.programme_id, actor)
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


@transaction.atomic
def meeting_propose_decisions(*, meeting: Meeting, actor: User) -> list[Decision]:
    """Proposes the decision of every voted item in one go: approval with the recommended
    amount for the project's period, or rejection. All or nothing: if one item is refused,
    nothing is proposed and every reason is named."""
    require_case_worker_of(meeting.committee.programme_id, actor)
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
                        decision_propose(
                            application=application,
                            actor=actor,
                            amount=amount,
                            funding_start=start,
                            funding_end=end,
                            purpose=application.title,
                            year_amounts=suggest_year_split(
                                amount, start, end, application.programme.max_fiscal_years
                            ),
                            note=_("Votum %(body)s vom %(date)s")
                            % {"body": meeting.committee.name, "date": f"{meeting.date:%d.%m.%Y}"},
                        )
                    )
                else:
                    decisions.append(
                        decision_propose_rejection(
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
    require_case_worker_of(meeting.committee.programme_id, actor)
    confirmed: list[Decision] = []
    messages: list[str] = []
    for item in meeting.items.select_related("application"):
        application = _lock(item.application)
        if application.state != S.DECISION_PROPOSED:
            continue
        try:
            with transaction.atomic():
                confirmed.append(decision_confirm(application=application, actor=actor))
        except ActionRefused as refused:
            messages.extend(f"{application.file_number}: {m}" for m in refused.messages)
    if messages:
        raise RuleViolated(messages)
    if not confirmed:
        raise RuleViolated(_("In dieser Sitzung gibt es keine Vorschläge zu bestätigen."))
    return confirmed
