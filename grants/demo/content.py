"""What the applicant types into the form: classification items, the cost and financing plan,
and the project description as a real PDF file, made by the same WeasyPrint path as the
portal's letters, so that it passes the upload check and opens in any viewer."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.html import format_html

from grants.models import ZERO, CostCategory, FinancingCategory, Programme, money
from grants.services import applications
from grants.services.letters import html_to_pdf

Line = tuple[str, str, str]  # category code, description, amount

PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>{title}</title>
<style>
  @page {{ size: A4; margin: 25mm 20mm; }}
  body {{ font-family: sans-serif; font-size: 11pt; line-height: 1.4; }}
  h1 {{ font-size: 15pt; }}
  .note {{ color: #555; font-size: 9pt; }}
</style></head>
<body>
<p class="note">Ausführliche Projektbeschreibung (Demo-Dokument)</p>
<h1>{title}</h1>
<p>{applicant}</p>
<h2>Kurzbeschreibung</h2>
<p>{summary}</p>
<h2>Ziele</h2>
<p>{goals}</p>
</body></html>
"""


def description_pdf(title: str, applicant: str, summary: str, goals: str) -> SimpleUploadedFile:
    """The project description as the applicant would upload it."""
    # format_html escapes every value: the texts are demo data today, but they are applicant
    # texts in form, and the letter path renders HTML.
    html = format_html(PAGE, title=title, applicant=applicant, summary=summary, goals=goals)
    return SimpleUploadedFile(
        "Projektbeschreibung.pdf", html_to_pdf(html), content_type="application/pdf"
    )


def choose(model: type[models.Model], programme: Programme, codes: list[str]) -> list:
    found = list(model.objects.filter(programme=programme, code__in=codes))
    missing = set(codes) - {item.code for item in found}
    if missing:
        raise LookupError(f"{model.__name__} {sorted(missing)} fehlt in {programme.code}")
    return found


def plan(
    programme: Programme, costs: list[Line], financing: list[Line]
) -> dict[str, list[applications.PlanLine]]:
    """Cost and financing plan as the form sends it; the grant line is what the other
    financing leaves open, so the plan balances."""
    cost_ids = dict(CostCategory.objects.filter(programme=programme).values_list("code", "pk"))
    financing_ids = dict(
        FinancingCategory.objects.filter(programme=programme).values_list("code", "pk")
    )
    cost_rows = [
        applications.PlanLine(category_id=cost_ids[code], description=text, amount=money(amount))
        for code, text, amount in costs
    ]
    financing_rows = [
        applications.PlanLine(
            category_id=financing_ids[code], description=text, amount=money(amount)
        )
        for code, text, amount in financing
    ]
    grant = sum((r.amount for r in cost_rows), ZERO) - sum((r.amount for r in financing_rows), ZERO)
    if grant <= 0:
        raise ValueError("nach den übrigen Mitteln bleibt keine Zuwendung offen")
    financing_rows.append(
        applications.PlanLine(
            category_id=financing_ids["grant"],
            description="Zuwendung aus diesem Programm",
            amount=grant,
        )
    )
    return {"costs": cost_rows, "financing": financing_rows}
