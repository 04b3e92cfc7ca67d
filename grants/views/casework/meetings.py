"""Committee meetings: agenda, conflicts of interest, votes, minutes, decisions of a meeting, and
the agenda and results as PDF."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.types import AuthenticatedHttpRequest
from grants.errors import ActionRefused
from grants.forms import casework as f
from grants.models import (
    AgendaItem,
    Budget,
    Committee,
    CommitteeMember,
    Meeting,
    S,
)
from grants.permissions import casework_programmes
from grants.services import letters
from grants.services.committees import (
    agenda_item_declare_conflict,
    agenda_item_record_votes,
    meeting_confirm_decisions,
    meeting_create,
    meeting_propose_decisions,
    meeting_save_minutes,
)
from grants.views.casework.access import meeting_for_case_worker, require_case_worker


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_case_worker(request)
    programmes = casework_programmes(request.user)
    committees = Committee.objects.filter(programme__in=programmes, is_active=True)
    form = f.MeetingForm(request.POST or None, committees=committees)
    if request.method == "POST" and form.is_valid():
        meeting = meeting_create(
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
        status=422 if form.errors else 200,
    )


def _meeting_context(
    request: AuthenticatedHttpRequest, meeting: Meeting, invalid: forms.Form | None = None
) -> dict[str, Any]:
    """``invalid``: a form that was sent with errors; it is shown as sent, with the summary."""
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
    minutes_form = f.MinutesForm(initial={"version": meeting.version, "minutes": meeting.minutes})
    if invalid is not None:
        for row in rows:
            for key in ("conflict_form", "votes_form"):
                if row[key].prefix == invalid.prefix and type(row[key]) is type(invalid):
                    row[key] = invalid
        if isinstance(invalid, f.MinutesForm):
            minutes_form = invalid
    return {
        "meeting": meeting,
        "rows": rows,
        "members": members,
        "invalid_form": invalid,
        "minutes_form": minutes_form,
        "can_propose": any(r["item"].application.state == S.VOTED for r in rows),
        "can_confirm": any(r["item"].application.state == S.DECISION_PROPOSED for r in rows),
    }


@login_required
@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_case_worker(request, pk)
    return render(request, "grants/casework/meeting.html", _meeting_context(request, meeting))


@login_required
@require_POST
def meeting_step(request: AuthenticatedHttpRequest, pk: int, slug: str) -> HttpResponse:
    meeting = meeting_for_case_worker(request, pk)
    user = request.user
    try:
        if slug == "befangenheit":
            item = _agenda_item(request, meeting)
            form = f.ConflictForm(
                request.POST, members=meeting.committee.members.all(), prefix=f"c{item.pk}"
            )
            if not form.is_valid():
                return _invalid(request, meeting, form)
            agenda_item_declare_conflict(
                item=item,
                actor=user,
                member=form.cleaned_data["member"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
            messages.success(request, _("Die Befangenheit ist erfasst."))
        elif slug == "abstimmung":
            item = _agenda_item(request, meeting)
            conflicted = set(item.conflicts.values_list("member_id", flat=True))
            form = f.VotesForm(
                request.POST,
                item=item,
                members=list(meeting.committee.members.filter(is_active=True)),
                conflicted=conflicted,
            )
            if not form.is_valid():
                return _invalid(request, meeting, form)
            agenda_item_record_votes(
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
                return _invalid(request, meeting, form)
            meeting_save_minutes(meeting=meeting, actor=user, **form.cleaned_data)
            messages.success(request, _("Die Niederschrift ist gespeichert."))
        elif slug == "vorschlagen":
            decisions = meeting_propose_decisions(meeting=meeting, actor=user)
            messages.success(
                request, _("%(n)s Entscheidungen sind vorgeschlagen.") % {"n": len(decisions)}
            )
        elif slug == "bestaetigen":
            decisions = meeting_confirm_decisions(meeting=meeting, actor=user)
            messages.success(
                request, _("%(n)s Entscheidungen sind bestätigt.") % {"n": len(decisions)}
            )
        else:
            raise Http404
    except ActionRefused as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect("casework:meeting", pk=meeting.pk)


def _agenda_item(request: AuthenticatedHttpRequest, meeting: Meeting) -> AgendaItem:
    # The item id comes from a hidden field; anything but one of this meeting's items is a
    # refusal with a message, not a 500 (non-numeric) or a bare 404.
    raw = request.POST.get("item", "")
    item = (
        AgendaItem.objects.filter(pk=int(raw), meeting=meeting).first() if raw.isdigit() else None
    )
    if item is None:
        raise ActionRefused([_("Diesen Tagesordnungspunkt gibt es in der Sitzung nicht.")])
    return item


def _invalid(request: AuthenticatedHttpRequest, meeting: Meeting, form: forms.Form) -> HttpResponse:
    """The meeting page again, with the form as sent and the summary of its errors."""
    context = _meeting_context(request, meeting, invalid=form)
    return render(request, "grants/casework/meeting.html", context, status=422)


@login_required
@require_GET
def meeting_pdf(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    meeting = meeting_for_case_worker(request, pk)
    results = kind == "ergebnisse"
    pdf = letters.meeting_pdf(meeting, results=results)
    name = f"{'Ergebnisse' if results else 'Tagesordnung'}-{meeting.date:%Y-%m-%d}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
