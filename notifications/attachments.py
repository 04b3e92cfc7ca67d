"""Files that go with a message, found when the message is written.

The decision letter (Bescheid, Ablehnungsbescheid) is produced by another part of the system.
It registers a provider here that returns the stored letter of a decision; until one is
registered, decision mails go out without attachment and say where to find the notice.
"""

from __future__ import annotations

from collections.abc import Callable

from grants.models import Decision

# A provider returns [{"name": <storage name>, "filename": "Bescheid.pdf",
# "mimetype": "application/pdf"}]; it runs inside the decision's transaction, so a letter it
# creates there is rolled back together with the decision.
DecisionLetterProvider = Callable[[Decision], list[dict[str, str]]]
_decision_letter_providers: list[DecisionLetterProvider] = []


def register_decision_letter(provider: DecisionLetterProvider) -> None:
    if provider not in _decision_letter_providers:
        _decision_letter_providers.append(provider)


def for_decision(decision: Decision) -> list[dict[str, str]]:
    files: list[dict[str, str]] = []
    for provider in _decision_letter_providers:
        files.extend(provider(decision))
    return files
