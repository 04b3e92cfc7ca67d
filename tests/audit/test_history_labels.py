"""The file's history reads in plain German: every step has a label of its own."""

from __future__ import annotations

import pytest

from grants.lifecycle import LIFECYCLES
from grants.management.commands.lifecycle_docs import LIFECYCLES as DOCUMENTED
from grants.models import ApplicationState, StatusChange
from grants.models.audit import STEP_LABELS
from grants.services.assessment import IN_PLACE_ASSESS, IN_PLACE_ASSIGN
from grants.services.proof import IN_PLACE_PART_REPAID
from tests.casework_pages import file_url
from tests.factories import advance, draft


def _steps() -> list[tuple[str, str]]:
    steps = []
    for model, lifecycle in LIFECYCLES.items():
        field = model._meta.get_field("state")
        steps += [(str(lifecycle), t.name) for t in field.get_all_transitions(model)]
    for documented in DOCUMENTED:
        steps += [(documented.key, step.name) for step in documented.creation_steps]
    steps += [("application", IN_PLACE_ASSIGN), ("application", IN_PLACE_ASSESS)]
    steps += [("repayment_claim", IN_PLACE_PART_REPAID)]
    # Recorded in place for every payout of a batch handed over again (reporting.services).
    steps += [("payout", "reexport")]
    return sorted(set(steps))


def test_every_step_of_every_lifecycle_has_a_label():
    missing = [step for step in _steps() if step[1] not in STEP_LABELS.get(step[0], {})]
    assert missing == []


def test_no_two_steps_of_a_lifecycle_share_a_label():
    for lifecycle, labels in STEP_LABELS.items():
        texts = [str(label) for label in labels.values()]
        assert len(texts) == len(set(texts)), lifecycle


def test_labels_name_no_unknown_step():
    # A label for a step that no longer exists is a sign that a rename forgot the history.
    assert {(lc, name) for lc, names in STEP_LABELS.items() for name in names} <= set(_steps())


@pytest.mark.parametrize(
    ("lifecycle", "transition", "text"),
    [
        ("application", "submit", "Antrag eingereicht"),
        ("application", "request_changes", "Unterlagen nachgefordert"),
        ("payout", "cancel", "Auszahlung storniert"),
        ("application", "unknown_step", "unknown_step"),
    ],
)
def test_a_status_change_reads_as_its_label(lifecycle, transition, text):
    assert StatusChange(lifecycle=lifecycle, transition=transition).label == text


def test_the_files_history_reads_in_plain_german(client, world):
    app = advance(draft(world), world, ApplicationState.IN_REVIEW)
    client.force_login(world.case_worker)
    page = client.get(file_url(app)).content.decode()
    history = page[page.index('id="timeline-heading"') :]
    assert "Antrag eingereicht" in history
    assert "submit" not in history
    assert "→" not in history
