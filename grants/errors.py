"""What services raise when a step is refused. Messages are for the user, in their language."""

from collections.abc import Iterable

from django.utils.functional import Promise


class ActionRefused(Exception):
    """A step was refused and nothing was changed."""

    def __init__(self, messages: str | Promise | Iterable[str | Promise]) -> None:
        if isinstance(messages, str | Promise):
            messages = [messages]
        self.messages = [str(m) for m in messages]
        super().__init__(" ".join(self.messages))


class NotPermitted(ActionRefused):
    """The acting person may not take this step (views answer 403)."""


class RuleViolated(ActionRefused):
    """A rule of the programme or the lifecycle is not met (views show it on the form)."""


class ChangedMeanwhile(ActionRefused):
    """Somebody else changed the object since it was loaded; reload and look again."""
