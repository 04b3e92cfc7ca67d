"""Letters as PDF: funding notices and rejections from templates staff edit per programme and
language, and the agenda and results of committee meetings.

PDFs are made with WeasyPrint from HTML as tagged PDF/UA-1, so that screen readers can read
the notice (BITV 2.0 covers documents, too). A letter is made once, stored with the
application (``Letter``) and never regenerated: what was sent stays what is on file.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Membership
from core import formatting
from core.formatting import eur
from grants.errors import RuleViolated
from grants.models import (
    Application,
    Decision,
    Letter,
    LetterKind,
    LetterTemplate,
    Meeting,
    RepaymentClaim,
)

# Variables a template may use; shown to staff next to the editor.
VARIABLES = {
    "applicant": gettext_lazy("Name der Antragsteller*in"),
    "file_number": gettext_lazy("Aktenzeichen"),
    "title": gettext_lazy("Projekttitel"),
    "programme": gettext_lazy("Förderprogramm"),
    "funding_body": gettext_lazy("Zuwendungsgeber"),
    "amount": gettext_lazy("bewilligter Betrag"),
    "financing_type": gettext_lazy("Finanzierungsart"),
    "funding_start": gettext_lazy("Förderzeitraum von"),
    "funding_end": gettext_lazy("Förderzeitraum bis"),
    "purpose": gettext_lazy("Zuwendungszweck"),
    "reasons": gettext_lazy("Begründung der Ablehnung"),
    "appeal_months": gettext_lazy("Rechtsbehelfsfrist in Monaten"),
    "principal": gettext_lazy("Rückforderung: Erstattungsbetrag"),
    "paid": gettext_lazy("Rückforderung: ausgezahlt"),
    "justified": gettext_lazy("Rückforderung: zustehende Zuwendung"),
    "due_date": gettext_lazy("Rückforderung: zahlbar bis"),
}


def default_texts(kind: str) -> dict[str, str]:
    """The texts a programme starts with, in the active language. The legal remedy is not
    among them: it is the programme's (``Programme.legal_remedy``), the same in every letter,
    page and mail."""
    if kind == LetterKind.RECOVERY:
        return {
            "subject": _("Rückforderungsbescheid – {{ file_number }} – {{ title }}"),
            "body": _(
                "Sehr geehrte Damen und Herren,\n\n"
                "für das Projekt „{{ title }}“ haben wir Ihnen aus dem Programm {{ programme }} "
                "eine Zuwendung von {{ amount }} bewilligt und {{ paid }} ausgezahlt. Nach "
                "Prüfung stehen Ihnen {{ justified }} zu.\n\n"
                "Den Zuwendungsbescheid widerrufe ich daher in Höhe von {{ principal }} "
                "(§ 49 Abs. 3 VwVfG) und fordere diesen Betrag zurück (§ 49a Abs. 1 VwVfG).\n\n"
                "Gründe:\n{{ reasons }}\n\n"
                "Bitte überweisen Sie den Betrag bis zum {{ due_date }} auf das unten genannte "
                "Konto. Geben Sie dabei unbedingt den Verwendungszweck an."
            ),
        }
    if kind == LetterKind.APPROVAL:
        return {
            "subject": _("Zuwendungsbescheid – {{ file_number }} – {{ title }}"),
            "body": _(
                "Sehr geehrte Damen und Herren,\n\n"
                "auf Ihren Antrag bewillige ich Ihnen für das Projekt „{{ title }}“ eine "
                "Zuwendung aus dem Programm {{ programme }} in Höhe von {{ amount }} als "
                "{{ financing_type }}.\n\n"
                "Die Zuwendung ist bestimmt für: {{ purpose }}\n\n"
                "Der Förderzeitraum dauert vom {{ funding_start }} bis zum {{ funding_end }}. "
                "Ausgaben außerhalb dieses Zeitraums können nicht gefördert werden.\n\n"
                "Die Mittel werden nach dem Zahlungsplan unten oder auf Ihren Abruf ausgezahlt. "
                "Rufen Sie bitte nur ab, was Sie innerhalb von zwei Monaten benötigen."
            ),
        }
    return {
        "subject": _("Ablehnungsbescheid – {{ file_number }} – {{ title }}"),
        "body": _(
            "Sehr geehrte Damen und Herren,\n\n"
            "Ihren Antrag auf eine Zuwendung aus dem Programm {{ programme }} für das Projekt "
            "„{{ title }}“ muss ich leider ablehnen.\n\n"
            "Gründe:\n{{ reasons }}\n\n"
            "Sie können sich jederzeit erneut bewerben. Für Fragen stehen wir Ihnen gern zur "
            "Verfügung."
        ),
    }


def template_for(application: Application, kind: str, language: str) -> LetterTemplate:
    """The programme's template in ``language``, else in German, else the default text."""
    stored = {
        t.language: t
        for t in LetterTemplate.objects.filter(programme_id=application.programme_id, kind=kind)
    }
    if language in stored:
        return stored[language]
    if language == settings.LANGUAGE_CODE and settings.LANGUAGE_CODE in stored:
        return stored[settings.LANGUAGE_CODE]
    with translation.override(language):
        return LetterTemplate(
            programme_id=application.programme_id,
            kind=kind,
            language=language,
            **default_texts(kind),
        )


def letter_language(application: Application) -> str:
    """The language of the organisation's responsible person, German otherwise."""
    owner = (
        Membership.objects.filter(applicant_id=application.applicant_id)
        .order_by("-role", "created_at")  # "owner" before "member"
        .select_related("user")
        .first()
    )
    languages = {code for code, _name in settings.LANGUAGES}
    if owner and owner.user.language in languages:
        return owner.user.language
    return settings.LANGUAGE_CODE


def _date(value) -> str:
    return formatting.day(value) if value else ""


def letter_context(decision: Decision) -> dict[str, Any]:
    app = decision.application
    return {
        "applicant": app.applicant.name,
        "file_number": app.file_number,
        "title": app.title,
        "programme": app.programme.name,
        "funding_body": app.programme.funding_body.name,
        "amount": eur(decision.amount) if decision.amount else "",
        "financing_type": decision.get_financing_type_display(),
        "funding_start": _date(decision.funding_start),
        "funding_end": _date(decision.funding_end),
        "purpose": decision.purpose,
        "reasons": decision.reasons,
        "appeal_months": app.programme.appeal_period_months,
    }


# Letter templates are edited by staff and are text, not HTML: rendered without escaping into
# plain text, which the letter's HTML template then escapes as a whole. A template that says
# <img src="file:///proc/self/environ"> prints those characters in the letter, nothing more.
_text_engine = Engine(autoescape=False)


def _render_text(source: str, context: dict[str, Any]) -> str:
    rendered = _text_engine.from_string(source).render(Context(context, autoescape=False))
    # Template.render() marks its result safe; it is not, so drop the mark.
    return str.__str__(rendered)


def validate_template(template: LetterTemplate) -> None:
    sample = {key: f"[{label}]" for key, label in VARIABLES.items()}
    try:
        for source in (template.subject, template.body):
            _render_text(source, sample)
    except TemplateSyntaxError as exc:
        raise RuleViolated(
            _("Die Vorlage enthält einen Fehler: %(error)s") % {"error": exc}
        ) from exc


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT), *(Path(d) for d in settings.STATICFILES_DIRS)]
    roots += [Path(config.path) / "static" for config in apps.get_app_configs()]
    return [root.resolve() for root in roots]


def _static_only_fetcher():
    """A WeasyPrint URL fetcher for the project's own static files and data: URIs only.

    WeasyPrint's default fetcher reads any file:// path and fetches any http(s):// URL, so
    whatever reaches a letter's HTML could read the server's files or make it call out.
    """
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(url2pathname(parts.path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in _static_roots()):
                    return super().fetch(url, headers)
            raise ValueError(f"Only the project's static files may be loaded: {url}")

    return StaticOnlyFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


def letter_store(letter: Letter, pdf: bytes, **once: Any) -> Letter:
    """Stores ``letter`` with its PDF unless a letter matching ``once`` exists (made meanwhile
    by the other path: after the commit, or by the mail sender); returns the one on file."""
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    letter.file.save(letter.filename, ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        letter.file.delete(save=False)
        return Letter.objects.get(**once)
    return letter


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_static_only_fetcher()
    ).write_pdf(pdf_variant="pdf/ua-1")


def render_letter(decision: Decision, language: str) -> tuple[str, bytes]:
    kind = (
        LetterKind.APPROVAL
        if decision.outcome == Decision.Outcome.APPROVE
        else LetterKind.REJECTION
    )
    app = decision.application
    with translation.override(language):
        template = template_for(app, kind, language)
        context = letter_context(decision)
        subject = _render_text(template.subject, context)
        html = render_to_string(
            "grants/casework/pdf/letter.html",
            {
                "language": language,
                "kind": kind,
                "subject": subject,
                "body": _render_text(template.body, context),
                "legal_remedy": app.programme.legal_remedy_in(language),
                "application": app,
                "decision": decision,
                "year_amounts": list(decision.year_amounts.all()),
                "instalments": list(decision.planned_instalments.all()),
                "today": timezone.localdate(),
            },
        )
    return subject, html_to_pdf(html)


def recovery_context(claim: RepaymentClaim) -> dict[str, Any]:
    app = claim.application
    return {
        "applicant": app.applicant.name,
        "file_number": app.file_number,
        "title": app.title,
        "programme": app.programme.name,
        "funding_body": app.programme.funding_body.name,
        "amount": eur(app.approved_amount or 0),
        "paid": eur(app.paid_amount),
        "justified": eur(app.justified_amount or 0),
        "principal": eur(claim.principal),
        "reasons": claim.reason,
        "due_date": _date(claim.due_date),
        "appeal_months": app.programme.appeal_period_months,
    }


def render_recovery_notice(claim: RepaymentClaim, language: str) -> tuple[str, bytes]:
    """The Rückforderungs- und Widerrufsbescheid: the programme's text, then the fixed frame
    with the figures, the interest statement up to the day of the notice, the account and
    payment reference, and the programme's legal remedy."""
    from grants.selectors.proof import repayment_interest

    app = claim.application
    today = timezone.localdate()
    interest = repayment_interest(claim, max(today, claim.created_at.date()))
    with translation.override(language):
        template = template_for(app, LetterKind.RECOVERY, language)
        context = recovery_context(claim)
        subject = _render_text(template.subject, context)
        html = render_to_string(
            "grants/casework/pdf/recovery.html",
            {
                "language": language,
                "subject": subject,
                "body": _render_text(template.body, context),
                "legal_remedy": app.programme.legal_remedy_in(language),
                "application": app,
                "claim": claim,
                "body_of": app.programme.funding_body,
                "interest": interest,
                "interest_until": max(today, claim.created_at.date()),
                "today": today,
            },
        )
    return subject, html_to_pdf(html)


def meeting_pdf(meeting: Meeting, *, results: bool) -> bytes:
    items = list(
        meeting.items.select_related("application__applicant", "vote").prefetch_related(
            "conflicts__member", "member_votes__member"
        )
    )
    running = Decimal(0)
    rows = []
    for item in items:
        running += item.proposed_amount
        rows.append({"item": item, "running_total": running})
    html = render_to_string(
        "grants/casework/pdf/meeting.html",
        {
            "meeting": meeting,
            "rows": rows,
            "results": results,
            "members": list(meeting.committee.members.all()),
            "today": timezone.localdate(),
            "language": translation.get_language(),
        },
    )
    return html_to_pdf(html)
