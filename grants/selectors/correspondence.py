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
    # All items in one read (a file holds a few requests of a few items each), the latest
    # request's kept.
    items = list(application.request_items.select_related("request", "answer__author"))
    if not items:
        return []
    latest = max(items, key=lambda item: (item.request.created_at, item.request_id)).request_id
    return [item for item in items if item.request_id == latest]
