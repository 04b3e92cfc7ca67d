"""Reads of the message thread: its messages with files and read receipts, and the items of
the requests for missing items with their answers."""

from __future__ import annotations

from django.db.models import Prefetch

from grants.models import (
    Application,
    ApplicationState,
    RequestItem,
    StatusChange,
    ThreadMessage,
    ThreadRead,
)

S = ApplicationState
# The requests whose items are answered one by one, and the state in which each is open.
REQUEST_TRANSITIONS = {
    "request_changes": S.CHANGES_REQUESTED,
    "request_proof_changes": S.PROOF_CHANGES_REQUESTED,
}


def open_request(application: Application) -> StatusChange | None:
    """The request the applicant has to answer now, if any."""
    transition = next(
        (t for t, state in REQUEST_TRANSITIONS.items() if state == application.state), None
    )
    if transition is None:
        return None
    return (
        application.status_changes.filter(transition=transition)
        .order_by("-created_at", "-id")
        .first()
    )


def thread_of(application: Application) -> list[ThreadMessage]:
    """The messages, oldest first, each with its files, its answered item, and ``readers``:
    the read receipts of everyone but the author."""
    thread = list(
        application.thread_messages.select_related("author", "answered_item").prefetch_related(
            "attachments",
            Prefetch("reads", queryset=ThreadRead.objects.select_related("user")),
        )
    )
    for message in thread:
        message.readers = [  # type: ignore[attr-defined]
            r for r in message.reads.all() if r.user_id != message.author_id
        ]
    return thread


def request_items_of(application: Application) -> list[RequestItem]:
    """The items of the latest request for missing items (answered or not), in order."""
    latest = (
        application.request_items.order_by("-request__created_at", "-request_id")
        .values_list("request_id", flat=True)
        .first()
    )
    if latest is None:
        return []
    return list(
        application.request_items.filter(request_id=latest).select_related(
            "request", "answer__author"
        )
    )
