"""Mail backends that misbehave on purpose, built on anymail's test backend."""

from __future__ import annotations

import threading
import time

from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.exceptions import AnymailAPIError
from anymail.message import AnymailRecipientStatus

_lock = threading.Lock()
state = {"failures_left": 0, "calls": 0, "delay": 0.0}


def reset(*, failures: int = 0, delay: float = 0.0) -> None:
    with _lock:
        state.update(failures_left=failures, calls=0, delay=delay)


class FlakyBackend(AnymailTestBackend):
    """The provider is down for the next ``failures_left`` calls, then works. A failed call
    never reaches ``mail.outbox``; ``delay`` makes a send slow, so workers overlap."""

    def post_to_esp(self, payload, message):
        with _lock:
            state["calls"] += 1
            failing = state["failures_left"] > 0
            if failing:
                state["failures_left"] -= 1
        if state["delay"]:
            time.sleep(state["delay"])
        if failing:
            raise AnymailAPIError("503 Service Unavailable (simulated outage)")
        return super().post_to_esp(payload, message)


class RefusingBackend(AnymailTestBackend):
    """The provider refuses every recipient (e.g. on its suppression list)."""

    def post_to_esp(self, payload, message):
        message.anymail_test_response = {
            "recipient_status": {
                email: AnymailRecipientStatus(message_id="refused-1", status="rejected")
                for email in payload.recipient_emails
            }
        }
        return super().post_to_esp(payload, message)
