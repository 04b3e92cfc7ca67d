"""Conditions and permissions of lifecycle transitions that can say why they refuse.

django-fsm only asks a condition or permission for a yes or no. Staff and applicants need to
know *why* a step is refused, and docs/lifecycle.md lists every rule of every transition, so
each rule carries its German message and a short description.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise


class Condition:
    """A rule about the object alone (plan balances, window open, …)."""

    def __init__(self, message: str | Promise, check: Callable[[Any], bool]) -> None:
        self.message = message
        self.check = check

    def __call__(self, instance: Any) -> bool:
        return bool(self.check(instance))

    def refusal_for(self, instance: Any) -> str | None:
        """Why the rule refuses ``instance`` now; None when it is kept."""
        return None if self(instance) else str(self.message)

    def __str__(self) -> str:
        return str(self.message)


class Rule(Condition):
    """A condition whose refusal names the figures of the case ("höchstens 10.000,00 €"): its
    function returns that refusal, or None when the rule is kept. ``message`` describes the
    rule in general, for docs/lifecycle.md."""

    def __init__(self, message: str | Promise, refusal: Callable[[Any], str | None]) -> None:
        # Named as the rule, for docs/lifecycle.md.
        @functools.wraps(refusal)
        def kept(instance: Any) -> bool:
            return refusal(instance) is None

        super().__init__(message, kept)
        self.refusal = refusal

    def refusal_for(self, instance: Any) -> str | None:
        return self.refusal(instance)


def condition(message: str | Promise) -> Callable[[Callable[[Any], bool]], Condition]:
    def wrap(check: Callable[[Any], bool]) -> Condition:
        return Condition(message, check)

    return wrap


def rule(message: str | Promise) -> Callable[[Callable[[Any], str | None]], Rule]:
    def wrap(refusal: Callable[[Any], str | None]) -> Rule:
        return Rule(message, refusal)

    return wrap


class Permission:
    """A rule about who acts. ``actor`` is ``None`` for the system (scheduled jobs)."""

    def __init__(
        self,
        description: str | Promise,
        refusal: str | Promise,
        check: Callable[[Any, Any], bool],
    ) -> None:
        self.description = description
        self.refusal = refusal
        self.check = check

    def refusal_for(self, instance: Any, actor: Any) -> str | Promise | None:
        return None if self.check(instance, actor) else self.refusal

    def __call__(self, instance: Any, actor: Any) -> bool:
        return self.refusal_for(instance, actor) is None

    def __str__(self) -> str:
        return str(self.description)


class AllOf(Permission):
    """All permissions must hold; the first one that does not explains the refusal."""

    def __init__(self, *parts: Permission) -> None:
        self.parts = parts
        self.description = " + ".join(str(p.description) for p in parts)

    def refusal_for(self, instance: Any, actor: Any) -> str | Promise | None:
        for part in self.parts:
            refusal = part.refusal_for(instance, actor)
            if refusal is not None:
                return refusal
        return None
