"""All demo stories: the finished projects of 2023 and 2024 on fixed dates, and the current ones
dated relative to today (still in the procedure, or funded), so the demo works on any day."""

from __future__ import annotations

import datetime as dt

from grants.demo.stories import decided, funded, procedure, y2023, y2024
from grants.demo.story import Story


def all_stories(today: dt.date) -> list[Story]:
    return [
        *y2023.stories(),
        *y2024.stories(),
        *procedure.stories(today),
        *decided.stories(today),
        *funded.stories(today),
    ]
