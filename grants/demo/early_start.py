"""The demo's early starts (vorzeitiger Maßnahmebeginn): an applicant asks after submitting, a
case worker consents from a date. Steps of a story, through the real services."""

from __future__ import annotations

import datetime as dt

from grants.demo.story import Story
from grants.services.early_start import early_start_decide, early_start_request


def ask_early_start(story: Story, on: dt.date, start: dt.date, reason: str) -> Story:
    return story._add(
        on,
        "Antrag auf vorzeitigen Beginn",
        lambda s, c: early_start_request(
            application=s.app(), actor=s.owner(c), requested_start=start, reason=reason
        ),
    )


def consent_early_start(story: Story, on: dt.date, allowed_from: dt.date, note: str) -> Story:
    return story._add(
        on,
        "Zustimmung zum vorzeitigen Beginn",
        lambda s, c: early_start_decide(
            application=s.app(),
            actor=s.case_worker(c),
            consent=True,
            allowed_from=allowed_from,
            note=note,
        ),
    )
