"""Reminders and the daily digest, run by ``manage.py run_periodic``.

Safe to run twice, or on two machines at once: a ``Reminder`` row per (application, kind,
deadline) and a ``Digest`` row per (user, day) are inserted before any mail is written, in the
same transaction, and their unique constraints let only one run win.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from applicants.models import User
from grants.models import APPLICANT_LABELS, Application, ApplicationState, StaffRole
from notifications.models import Digest, Kind, Reminder
from notifications.services import (
    applicant_recipients,
    base_context,
    format_date,
    message_create,
    portal_link,
    preference_get,
    recipient_for_user,
    send_after_commit,
)

logger = logging.getLogger(__name__)
S = ApplicationState

PROOF_STATES = (S.RUNNING, S.PROOF_DUE)
RESPONSE_STATES = (S.CHANGES_REQUESTED, S.PROOF_CHANGES_REQUESTED)
NEW_WORK_STATES = (S.SUBMITTED, S.PROOF_SUBMITTED)
PROOF_FIRST_REMINDER_DAYS = 28
PROOF_LAST_REMINDER_DAYS = 7
RESPONSE_REMINDER_DAYS = 3

REMINDER_MESSAGE_KIND = {
    Reminder.Kind.PROOF_4W: Kind.PROOF_REMINDER_4W,
    Reminder.Kind.PROOF_1W: Kind.PROOF_REMINDER_1W,
    Reminder.Kind.PROOF_OVERDUE: Kind.PROOF_OVERDUE,
    Reminder.Kind.RESPONSE_DUE: Kind.RESPONSE_REMINDER,
}


def proof_reminder_kind(due: dt.date, today: dt.date) -> str | None:
    """Which proof-of-use reminder is due today; a missed day is caught up on the next run,
    but a window that has passed is not (no "4 weeks left" mail with 5 days left)."""
    days_left = (due - today).days
    if days_left < 0:
        return Reminder.Kind.PROOF_OVERDUE
    if days_left <= PROOF_LAST_REMINDER_DAYS:
        return Reminder.Kind.PROOF_1W
    if days_left <= PROOF_FIRST_REMINDER_DAYS:
        return Reminder.Kind.PROOF_4W
    return None


def send_reminders(today: dt.date | None = None) -> int:
    """Writes every reminder that is due today and was not written before; returns how many
    reminders (not mails) were new."""
    today = today or timezone.localdate()
    count = 0
    proof_due = Application.objects.filter(
        state__in=PROOF_STATES,
        proof_due_date__isnull=False,
        proof_due_date__lte=today + dt.timedelta(days=PROOF_FIRST_REMINDER_DAYS),
    )
    for application in proof_due:
        kind = proof_reminder_kind(application.proof_due_date, today)
        if kind is not None:
            count += remind(application, kind, application.proof_due_date, today)
    response_due = Application.objects.filter(
        state__in=RESPONSE_STATES,
        response_due_date__gte=today,
        response_due_date__lte=today + dt.timedelta(days=RESPONSE_REMINDER_DAYS),
    )
    for application in response_due:
        count += remind(
            application, Reminder.Kind.RESPONSE_DUE, application.response_due_date, today
        )
    return count


@transaction.atomic
def remind(application: Application, kind: str, due_date: dt.date, today: dt.date) -> int:
    _reminder, created = Reminder.objects.get_or_create(
        application=application, kind=kind, due_date=due_date
    )
    if not created:
        return 0
    context = {
        **base_context(application),
        "due_date": lambda: format_date(due_date),
        "days_left": (due_date - today).days,
        "proof": application.state in PROOF_STATES,
    }
    messages = [
        message_create(
            kind=REMINDER_MESSAGE_KIND[kind],
            recipient=recipient,
            context=context,
            application=application,
            send=False,
        )
        for recipient in applicant_recipients(application)
    ]
    send_after_commit([message.pk for message in messages])
    return 1


# --- daily digest for case workers -----------------------------------------------------------


def _row(application: Application, due: dt.date | None = None) -> dict[str, Any]:
    return {
        "file_number": application.file_number,
        "title": application.title,
        "applicant": application.applicant.name,
        "state": str(application.get_state_display()),
        "applicant_state": str(APPLICANT_LABELS[application.state]),
        "due": format_date(due) if due else "",
        "url": portal_link(reverse("casework:file", args=[application.pk])),
    }


def digest_content(user: User, since: dt.datetime, today: dt.date) -> dict[str, list]:
    """New and overdue work in the programmes ``user`` works on (theirs or unassigned)."""
    programme_ids = StaffRole.objects.filter(
        user=user, role=StaffRole.Role.CASE_WORKER
    ).values_list("programme_id", flat=True)
    scope = (
        Application.objects.filter(programme_id__in=list(programme_ids))
        .filter(Q(assigned_to=user) | Q(assigned_to__isnull=True))
        .select_related("applicant")
        .order_by("file_number")
    )
    new = scope.filter(
        state__in=NEW_WORK_STATES,
        status_changes__target_state__in=NEW_WORK_STATES,
        status_changes__created_at__gte=since,
    ).distinct()
    responses = scope.filter(state__in=RESPONSE_STATES, response_due_date__lt=today)
    proofs = scope.filter(state__in=PROOF_STATES, proof_due_date__lt=today)
    return {
        "new": list(new),
        "overdue_responses": list(responses),
        "overdue_proofs": list(proofs),
    }


def send_digests(now: dt.datetime | None = None) -> int:
    """One overview per case worker and day, from ``NOTIFICATIONS_DIGEST_HOUR`` local time on;
    nothing when there is nothing to report or the user opted out."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.NOTIFICATIONS_DIGEST_HOUR:
        return 0
    users = User.objects.filter(
        staff_roles__role=StaffRole.Role.CASE_WORKER, is_active=True
    ).distinct()
    return sum(_digest_for(user, now) for user in users)


@transaction.atomic
def _digest_for(user: User, now: dt.datetime) -> int:
    today = timezone.localdate(now)
    if not preference_get(user).digest:
        return 0
    previous = Digest.objects.filter(user=user, day__lt=today).order_by("-day").first()
    digest, created = Digest.objects.get_or_create(user=user, day=today)
    if not created:
        return 0
    since = previous.created_at if previous else now - dt.timedelta(days=1)
    content = digest_content(user, since, today)
    if not any(content.values()):
        return 0
    recipient = recipient_for_user(user)
    message = message_create(
        kind=Kind.DIGEST,
        recipient=recipient,
        context={
            **base_context(None),
            "start_url": portal_link(reverse("casework:start")),
            "day": lambda: format_date(today),
            "new": lambda: [_row(app) for app in content["new"]],
            "overdue_responses": lambda: [
                _row(app, app.response_due_date) for app in content["overdue_responses"]
            ],
            "overdue_proofs": lambda: [
                _row(app, app.proof_due_date) for app in content["overdue_proofs"]
            ],
        },
    )
    digest.message = message
    digest.save(update_fields=["message"])
    return 1
