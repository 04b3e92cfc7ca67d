"""What the seed created, and the look-up-or-create that keeps it idempotent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass
class SeedResult:
    created: int = 0
    skipped: int = 0
    rows_created: Counter = field(default_factory=Counter)


def get_or_create(
    result: SeedResult, model: type[models.Model], lookup: dict[str, Any], defaults: dict[str, Any]
) -> Any:
    """The row with ``lookup``; created (validated) with ``defaults`` only if it is missing, so
    that a second run leaves what exists, edited or not, alone."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.full_clean()
        obj.save()
        result.rows_created[model.__name__] += 1
    return obj
