"""The one periodic job: deadlines, letters still missing, reminders, digests, outbox. Run it every few minutes from
cron or a systemd timer (docs/operations.md); running it twice, or on two machines at once,
changes nothing the second time."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from grants.services.applications import run_deadlines
from grants.services.decisions import decision_letters_catch_up
from notifications import outbox, periodic

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Moves deadlines, writes reminders and digests, and sends what is due in the outbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="Write reminders as if it were this day (YYYY-MM-DD); deadlines use the real date.",
        )
        parser.add_argument(
            "--no-send",
            action="store_true",
            help="Only write messages; leave sending to the workers.",
        )

    def handle(self, *args, today: dt.date | None = None, no_send: bool = False, **options):
        today = today or timezone.localdate()
        failures: list[str] = []
        # Each step runs even when an earlier one fails: a broken application must not stop
        # every reminder.
        steps: list[tuple[str, Callable[[], object]]] = [
            ("deadlines", run_deadlines),
            # Before the outbox: a decision's mail goes out with its letter.
            ("letters", decision_letters_catch_up),
            ("reminders", lambda: periodic.send_reminders(today)),
            ("digests", lambda: periodic.send_digests()),
            ("released", outbox.release_stale),
        ]
        if not no_send:
            steps.append(("sent", outbox.flush))
        for name, step in steps:
            try:
                result = step()
            except Exception as exc:
                logger.exception("run_periodic: step %s failed", name)
                failures.append(f"{name}: {exc}")
                continue
            self.stdout.write(f"{name}: {result}")
        if failures:
            raise CommandError("; ".join(failures))
