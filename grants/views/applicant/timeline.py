"""The application's history in plain language, as the applicant sees it.

Steps inside the office (proposals, their return) are left out; reasons are shown only where
the applicant needs them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core import formatting
from core.formatting import eur
from grants.models import APPLICANT_LABELS, Application, StatusChange


@dataclass
class TimelineEntry:
    when: dt.datetime
    text: str
    detail: str = ""


def _date(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])

    return formatting.day(value)


def _none() -> None:
    return None


def _timeline_text(change: StatusChange, application: Application) -> str | None:
    """A plain-language sentence for one step; ``None`` for steps inside the office. Each
    sentence is a function, so that only the one a step needs is translated and filled in."""
    data = change.data or {}
    amount = data.get("amount")
    money = eur(Decimal(str(amount))) if amount not in (None, "") else ""
    if change.lifecycle == StatusChange.Lifecycle.PAYOUT:
        return {
            "request": lambda: _("Sie haben %(amount)s abgerufen.") % {"amount": money},
            "plan": lambda: _("Eine Auszahlung von %(amount)s ist geplant.") % {"amount": money},
            "order": lambda: _("Die Auszahlung ist angeordnet und geht an die Stadtkasse."),
            "mark_paid": lambda: _("Das Geld ist überwiesen."),
            "cancel": lambda: _("Eine Auszahlung wurde storniert."),
        }.get(change.transition, _none)()
    if change.lifecycle == StatusChange.Lifecycle.REPAYMENT_CLAIM:
        return {
            "settle": lambda: _("Ihre Rückzahlung ist eingegangen."),
            "cancel": lambda: _("Eine Rückforderung wurde aufgehoben."),
        }.get(change.transition, _none)()
    if change.lifecycle == StatusChange.Lifecycle.CHANGE_REQUEST:
        return {
            "request": lambda: _("Sie haben eine Änderung beantragt."),
            "approve": lambda: _("Ihr Änderungsantrag ist genehmigt."),
            "reject": lambda: _("Ihr Änderungsantrag ist abgelehnt."),
        }.get(change.transition, _none)()
    if change.lifecycle == StatusChange.Lifecycle.EARLY_START:
        return {
            "request": lambda: (
                _("Sie haben einen vorzeitigen Beginn ab %(day)s beantragt.")
                % {"day": _date(data.get("requested_start"))}
            ),
            "consent": lambda: (
                _(
                    "Die Förderstelle stimmt dem vorzeitigen Beginn ab %(day)s zu (auf eigenes "
                    "Risiko, keine Zusage der Förderung)."
                )
                % {"day": _date(data.get("allowed_from"))}
            ),
            "refuse": lambda: _("Die Förderstelle stimmt dem vorzeitigen Beginn nicht zu."),
        }.get(change.transition, _none)()
    texts = {
        "submit": lambda: (
            _("Sie haben den Antrag eingereicht. Er hat das Aktenzeichen %(file)s.")
            % {"file": application.file_number}
        ),
        "request_changes": lambda: (
            _("Die Förderstelle bittet um weitere Unterlagen bis %(due)s.")
            % {"due": _date(data.get("due_date"))}
        ),
        "resubmit": lambda: _("Sie haben die Unterlagen nachgereicht."),
        "start_review": lambda: _(
            "Der Antrag ist vollständig. Die Förderstelle prüft jetzt den Inhalt."
        ),
        "refer_to_committee": lambda: (
            _("Der Antrag wird im Gremium beraten (Sitzung am %(day)s).")
            % {"day": _date(data.get("meeting_date"))}
        ),
        "record_vote": lambda: _("Das Gremium hat beraten. Die Entscheidung folgt."),
        "approve": lambda: (
            _("Ihr Antrag ist bewilligt: %(amount)s. Der Bescheid liegt vor.") % {"amount": money}
        ),
        "reject": lambda: _("Ihr Antrag ist abgelehnt."),
        "withdraw": lambda: _("Sie haben den Antrag zurückgezogen."),
        "waive_appeal": lambda: _(
            "Sie haben den Bescheid angenommen. Er ist jetzt bestandskräftig."
        ),
        "expire_appeal_period": lambda: _(
            "Die Frist für eine Klage ist vorbei. Der Bescheid ist bestandskräftig."
        ),
        "start_project": lambda: _("Der Förderzeitraum hat begonnen."),
        "end_funding_period": lambda: (
            _(
                "Der Förderzeitraum ist zu Ende. Bitte reichen Sie den Verwendungsnachweis bis %(due)s ein."
            )
            % {"due": _date(data.get("due"))}
        ),
        "extend_proof_deadline": lambda: (
            _("Die Frist für den Verwendungsnachweis ist verlängert bis %(due)s.")
            % {"due": _date(data.get("due_date"))}
        ),
        "extend_funding_period": lambda: (
            _(
                "Der Förderzeitraum ist verlängert bis %(end)s. Der Verwendungsnachweis ist bis "
                "%(due)s fällig."
            )
            % {"end": _date(data.get("funding_end")), "due": _date(data.get("proof_due_date"))}
        ),
        "submit_proof": lambda: _("Sie haben den Verwendungsnachweis eingereicht."),
        "resubmit_proof": lambda: _("Sie haben den Verwendungsnachweis ergänzt."),
        "request_proof_changes": lambda: (
            _("Die Förderstelle bittet um Ergänzungen zum Verwendungsnachweis bis %(due)s.")
            % {"due": _date(data.get("due_date"))}
        ),
        "accept_proof": lambda: _("Der Verwendungsnachweis ist geprüft."),
        "claim_repayment": lambda: _("Die Förderstelle fordert Geld zurück."),
        "record_repayment": lambda: _("Die Rückzahlung ist vollständig eingegangen."),
        "revoke": lambda: _("Der Bescheid ist widerrufen."),
        "close": lambda: _("Die Akte ist abgeschlossen."),
    }
    if change.transition in texts:
        return texts[change.transition]()
    if change.transition.startswith("propose") or change.transition == "return_proposal":
        return None
    label = APPLICANT_LABELS.get(change.target_state)
    return _("Neuer Stand: %(label)s") % {"label": label} if label else None


def timeline(application: Application) -> list[TimelineEntry]:
    entries = []
    for change in application.status_changes.order_by("created_at", "id"):
        text = _timeline_text(change, application)
        if text is None:
            continue
        detail = ""
        # Reasons the applicant needs: what is missing, why rejected or revoked.
        if change.transition in (
            "request_changes",
            "request_proof_changes",
            "reject",
            "revoke",
            "withdraw",
            "claim_repayment",
            "resubmit",
        ):
            detail = change.reason
        entries.append(TimelineEntry(change.created_at, text, detail))
    return entries
