"""Structured logs: every line carries the request id and the user id of the request it
belongs to (never names or e-mail addresses). Loaded by LOGGING before the apps: imports no
models."""

from __future__ import annotations

import contextvars
import logging
from typing import Any

from django.utils.functional import empty

# The request being served by this thread (or task), for the log filter.
current_request: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "current_request", default=None
)


def user_id_of(request: Any) -> int | None:
    """The id of the request's user if the authentication middleware has already loaded it;
    logging must never be the reason for a database query."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty or not wrapped.is_authenticated:
        return None
    return wrapped.pk


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = current_request.get()
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None)
        if not hasattr(record, "user_id"):
            record.user_id = user_id_of(request) if request is not None else None
        return True
