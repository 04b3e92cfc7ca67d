"""Charts for templates, usable on any start page:

    {% load core finance %}
    {% budget_chart lines caption="Budgetauslastung 2026" %}
    {% count_chart rows caption="Anträge nach Status" %}

Each chart is a row of bars drawn with inline SVG and hidden from assistive technology, next to
a data table with the same figures: the table is the text alternative (WCAG 1.1.1), and the
chart works without JavaScript or any stylesheet of ours.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import template

from reporting.selectors import BudgetLine

register = template.Library()


def _percent(part: Decimal, whole: Decimal | None) -> Decimal:
    if not whole:
        return Decimal(0)
    return max(Decimal(0), min(Decimal(100), part * 100 / whole)).quantize(Decimal("0.1"))


@register.inclusion_tag("reporting/charts/budget_chart.html")
def budget_chart(lines: Iterable[BudgetLine], caption: str, chart_id: str = "budget") -> dict:
    """Budget vs committed vs paid per programme and year (or Förderbereich)."""
    rows = [
        {
            "line": line,
            "label": " ".join(
                str(part)
                for part in (line.programme_code, line.fiscal_year, line.label)
                if part not in (None, "")
            ),
            "committed_width": _percent(line.committed, line.amount),
            "paid_width": _percent(line.paid, line.amount),
        }
        for line in lines
    ]
    return {"rows": rows, "caption": caption, "chart_id": chart_id}


@register.inclusion_tag("reporting/charts/count_chart.html")
def count_chart(
    rows: Iterable[dict[str, Any]], caption: str, chart_id: str = "counts", unit: str = ""
) -> dict:
    """Counts per category; ``rows`` are dicts with ``label`` and ``n``."""
    rows = list(rows)
    top = max((row["n"] for row in rows), default=0)
    return {
        "rows": [{**row, "width": _percent(Decimal(row["n"]), Decimal(top))} for row in rows],
        "caption": caption,
        "chart_id": chart_id,
        "unit": unit,
    }
