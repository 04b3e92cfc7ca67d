"""Forms of the case-work steps. Each turns input into domain values for one service; none
has a state field. Every form carries ``seen``, the fingerprint of the application when the
page was loaded, so that a step on a stale page is refused instead of overwriting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import User
from core import formatting
from core.forms import MoneyField
from core.money import parse_eur
from core.types import StrOrPromise
from grants.models import (
    Application,
    Assessment,
    ChangeRequest,
    FinancingType,
    LetterTemplate,
    Meeting,
    MemberVote,
    Payout,
    ProofCheck,
    binding_vote,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StepForm(forms.Form):
    seen = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, application: Application, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        self.user = user

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("seen", None)
        return data


def _reason(
    label: StrOrPromise | None = None, required: bool = True, help_text: StrOrPromise = ""
) -> forms.CharField:
    return forms.CharField(
        label=label or _("Begründung"),
        required=required,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


def _future_date(value: dt.date) -> dt.date:
    if value <= timezone.localdate():
        raise forms.ValidationError(_("Die Frist muss in der Zukunft liegen."))
    return value


class RequestChangesForm(StepForm):
    items = forms.CharField(
        label=_("Fehlende Unterlagen und Angaben"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Eine Angabe je Zeile; die Antragsteller*in erhält diese Liste. Beginnt eine Zeile "
            "mit dem Namen einer Dokumentart (etwa „Satzung“), zählt die Datei, mit der sie "
            "beantwortet wird, als diese Unterlage."
        ),
    )
    due_date = forms.DateField(label=_("Frist"), widget=DATE)

    def clean_due_date(self):
        return _future_date(self.cleaned_data["due_date"])

    def service_kwargs(self) -> dict:
        return {
            "items": self.cleaned_data["items"].splitlines(),
            "due_date": self.cleaned_data["due_date"],
        }


class NoteStepForm(StepForm):
    note = _reason(_("Vermerk zum Schritt"), required=False)


class ReasonForm(StepForm):
    reason = _reason()


class RejectForm(StepForm):
    reasons = _reason(_("Gründe der Ablehnung"), help_text=_("Erscheinen im Ablehnungsbescheid."))


class AssignForm(StepForm):
    assignee = forms.ModelChoiceField(
        label=_("Zuständig"), queryset=User.objects.none(), required=False, empty_label=_("niemand")
    )
    reason = _reason(required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            staff_roles__programme=self.application.programme_id,
            staff_roles__role="case_worker",
        ).order_by("last_name", "first_name")
        self.fields["assignee"].initial = self.application.assigned_to_id


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Interner Vermerk"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur für die Verwaltung sichtbar, nie für Antragsteller*innen."),
    )


class AssessmentForm(StepForm):
    summary = _reason(_("Fachliche Bewertung"))
    recommendation = forms.ChoiceField(
        label=_("Empfehlung"), choices=Assessment.Recommendation.choices
    )
    own_share_justification = _reason(
        _("Begründung geringerer Eigenanteil (Aktenvermerk)"),
        required=False,
        help_text=_("Nötig, wenn der Eigenanteil unter dem Mindestanteil des Programms liegt."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        programme = self.application.programme
        self.items = list(programme.checklist_items.all())
        self.criteria = list(programme.assessment_criteria.all())
        for item in self.items:
            self.fields[f"check_{item.pk}"] = forms.BooleanField(
                label=item.name, required=False, help_text=item.description
            )
            self.fields[f"check_{item.pk}_note"] = forms.CharField(
                label=_("Bemerkung zu „%(item)s“") % {"item": item.name},
                required=False,
                max_length=300,
            )
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                coerce=int,
                choices=[(n, str(n)) for n in range(criterion.max_score + 1)],
                help_text=criterion.description,
            )
            self.fields[f"score_{criterion.pk}_note"] = forms.CharField(
                label=_("Begründung zu „%(name)s“") % {"name": criterion.name},
                required=False,
                max_length=300,
            )
        self.fields["own_share_justification"].initial = self.application.own_share_justification

    def checklist_fields(self):
        return [(self[f"check_{i.pk}"], self[f"check_{i.pk}_note"]) for i in self.items]

    def score_fields(self):
        return [(self[f"score_{c.pk}"], self[f"score_{c.pk}_note"]) for c in self.criteria]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "recommendation": data["recommendation"],
            "own_share_justification": data["own_share_justification"],
            "checklist": {
                i.pk: (data[f"check_{i.pk}"], data[f"check_{i.pk}_note"]) for i in self.items
            },
            "scores": {
                c.pk: (data[f"score_{c.pk}"], data[f"score_{c.pk}_note"]) for c in self.criteria
            },
        }


class AgendaForm(StepForm):
    meeting = forms.ModelChoiceField(label=_("Sitzung"), queryset=Meeting.objects.none())
    proposed_amount = MoneyField(label=_("Vorgeschlagener Betrag in €"))
    note = _reason(_("Vermerk zum Schritt"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            committee__programme=self.application.programme_id,
            closed_at__isnull=True,
            date__gte=timezone.localdate(),
        ).select_related("committee")
        self.fields["proposed_amount"].initial = self.application.plan.requested_amount


def _day(text: str) -> dt.date:
    for pattern in formats.get_format("DATE_INPUT_FORMATS"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_instalments(text: str) -> list[tuple[dt.date, Decimal]]:
    """Lines like ``01.03.2027; 2.500,00`` (date; amount) in the active language's notation."""
    plan = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            day, amount = (part.strip() for part in line.split(";"))
            plan.append((_day(day), parse_eur(amount)))
        except (ValueError, InvalidOperation) as exc:
            raise forms.ValidationError(
                _("Zeile %(n)s: bitte „TT.MM.JJJJ; Betrag“ angeben, z. B. „01.03.2027; 2.500,00“.")
                % {"n": number}
            ) from exc
    return plan


class ProposeForm(StepForm):
    amount = MoneyField(label=_("Zuwendung in €"))
    financing_type = forms.ChoiceField(label=_("Finanzierungsart"), choices=FinancingType.choices)
    financing_type_justification = _reason(
        _("Begründung einer abweichenden Finanzierungsart"),
        required=False,
        help_text=_("Nötig, wenn Sie von der Regel des Programms abweichen."),
    )
    vote_deviation_reason = _reason(
        _("Begründung der Abweichung vom Votum"),
        required=False,
        help_text=_(
            "Nur wenn das Programm es zulässt; die zweite Person bestätigt sie. Sonst braucht "
            "eine Abweichung ein neues Votum."
        ),
    )
    funding_start = forms.DateField(label=_("Förderzeitraum von"), widget=DATE)
    funding_end = forms.DateField(label=_("Förderzeitraum bis"), widget=DATE)
    purpose = _reason(_("Zuwendungszweck"))
    conditions = _reason(_("Nebenbestimmungen"), required=False)
    instalments = forms.CharField(
        label=_("Zahlungsplan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Eine Rate je Zeile: „TT.MM.JJJJ; Betrag“. Leer lassen, wenn die Mittel abgerufen werden."
        ),
    )
    note = _reason(_("Vermerk zum Schritt"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        app = self.application
        plan = app.plan
        amount = plan.requested_amount
        vote = binding_vote(app)
        if vote and vote.recommended_amount:
            amount = vote.recommended_amount
        self.fields["amount"].initial = amount
        self.fields["financing_type"].initial = app.programme.financing_type_for(amount, plan)
        if app.programme.financing_type_ruled(amount, plan) is not None:
            self.fields["financing_type"].help_text = _(
                "Nach den Regeln des Programms: %(type)s. Eine andere Art braucht eine Begründung."
            ) % {"type": FinancingType(self.fields["financing_type"].initial).label}
        if not (app.needs_committee_vote and app.programme.vote_deviation_allowed):
            del self.fields["vote_deviation_reason"]
        today = timezone.localdate()
        start = max(app.start_date or today, today)
        self.fields["funding_start"].initial = start
        self.fields["funding_end"].initial = max(app.end_date or start, start)
        self.fields["purpose"].initial = app.title
        first = start.year
        last = (app.end_date or start).year
        self.years = list(range(first, max(first, last) + 1))
        if len(self.years) > 1:
            from grants.services.decisions import suggest_year_split

            split = suggest_year_split(
                amount, start, max(app.end_date or start, start), app.programme.max_fiscal_years
            )
            for year in self.years:
                self.fields[f"year_{year}"] = MoneyField(
                    label=_("Anteil Haushaltsjahr %(year)s in €") % {"year": year},
                    max_digits=12,
                    decimal_places=2,
                    min_value=Decimal("0"),
                    required=False,
                    initial=split.get(year),
                )

    def year_fields(self):
        return [self[f"year_{y}"] for y in self.years if f"year_{y}" in self.fields]

    def clean_instalments(self):
        return parse_instalments(self.cleaned_data["instalments"])

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("seen")
        years = {}
        for year in self.years:
            value = data.pop(f"year_{year}", None)
            if value:
                years[year] = value
        data["year_amounts"] = years or None
        return data


class PayoutPlanForm(StepForm):
    amount = MoneyField(label=_("Betrag in €"))
    due_date = forms.DateField(label=_("fällig am"), widget=DATE)
    kind = forms.ChoiceField(label=_("Art"), choices=Payout.Kind.choices)


class DeadlineForm(StepForm):
    due_date = forms.DateField(label=_("Neue Frist"), widget=DATE)
    reason = _reason()


class ChangeDecisionForm(StepForm):
    decision = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[("approve", _("genehmigen")), ("reject", _("ablehnen"))],
        widget=forms.RadioSelect,
    )
    note = _reason(
        _("Vermerk zur Entscheidung"),
        required=False,
        help_text=_("Bei einer Ablehnung erforderlich; die Antragstellenden sehen ihn."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.change_request = self.application.change_requests.filter(
            state=ChangeRequest.State.REQUESTED
        ).first()
        if self.change_request is not None:
            request = self.change_request
            summary = str(request.get_kind_display())
            if request.new_funding_end:
                summary += " " + str(
                    _("bis %(day)s") % {"day": formatting.day(request.new_funding_end)}
                )
            self.fields["decision"].help_text = f"{summary}: {request.reason}"

    def service_kwargs(self) -> dict:
        return {
            "approve": self.cleaned_data["decision"] == "approve",
            "note": self.cleaned_data["note"],
        }


class EarlyStartDecisionForm(StepForm):
    consent = forms.TypedChoiceField(
        label=_("Entscheidung"),
        choices=[("yes", _("zustimmen")), ("no", _("ablehnen"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    allowed_from = forms.DateField(
        label=_("Beginn zulässig ab"),
        widget=DATE,
        required=False,
        help_text=_("Bei Zustimmung: ab welchem Tag das Projekt auf eigenes Risiko beginnen darf."),
    )
    note = _reason(
        _("Vermerk zur Entscheidung"),
        required=False,
        help_text=_("Bei einer Ablehnung erforderlich; die Antragstellenden sehen ihn."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.early_start = self.application.early_starts.filter(state="requested").first()
        if self.early_start is not None:
            self.fields["allowed_from"].initial = self.early_start.requested_start
            self.fields["consent"].help_text = _("Gewünschter Beginn %(day)s: %(reason)s") % {
                "day": formatting.day(self.early_start.requested_start),
                "reason": self.early_start.reason,
            }


class ProofCheckForm(StepForm):
    depth = forms.ChoiceField(
        label=_("Prüftiefe"),
        choices=ProofCheck.Depth.choices,
        widget=forms.RadioSelect,
        initial=ProofCheck.Depth.QUICK,
    )
    findings = _reason(_("Prüfergebnis"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(self.application.cost_lines.all())
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = MoneyField(
                label=_("Anerkannt: %(line)s") % {"line": line.description},
                max_digits=12,
                decimal_places=2,
                min_value=Decimal("0"),
                required=False,
                initial=line.actual_amount,
                help_text=_("vertiefte Prüfung: nur bei Kürzung ändern"),
            )
            self.fields[f"line_{line.pk}_note"] = forms.CharField(
                label=_("Begründung der Kürzung: %(line)s") % {"line": line.description},
                required=False,
                max_length=300,
            )

    def line_fields(self):
        return [
            (line, self[f"line_{line.pk}"], self[f"line_{line.pk}_note"]) for line in self.lines
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        recognised = {}
        for line in self.lines:
            value = data.get(f"line_{line.pk}")
            if value is not None and value != (line.actual_amount or 0):
                recognised[line.pk] = (value, data.get(f"line_{line.pk}_note", ""))
        return {"depth": data["depth"], "findings": data["findings"], "recognised": recognised}


class ClaimForm(StepForm):
    reason = _reason(help_text=_("Erscheint in der Rückforderung an die Antragsteller*in."))
    due_date = forms.DateField(label=_("zahlbar bis"), widget=DATE)

    def clean_due_date(self):
        return _future_date(self.cleaned_data["due_date"])


class RepaymentForm(StepForm):
    repaid_on = forms.DateField(label=_("Zahlungseingang am"), widget=DATE)
    amount = MoneyField(
        label=_("Eingegangener Betrag"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text=_("Leer lassen, wenn der ganze offene Betrag eingegangen ist."),
    )

    def clean_repaid_on(self):
        value = self.cleaned_data["repaid_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Das Eingangsdatum darf nicht in der Zukunft liegen."))
        return value


# Row versions are counters; a forged one beyond the database's integer would be a 500.
VERSION: dict[str, Any] = {"min_value": 0, "max_value": 2_147_483_647}


class PayoutStepForm(forms.Form):
    note = forms.CharField(label=_("Vermerk"), required=False)


class PayoutCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Stornierung"),
        error_messages={"required": _("Bitte geben Sie den Grund der Stornierung an.")},
    )


class MeetingForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Gremium"), queryset=None)
    date = forms.DateField(label=_("Datum"), widget=DATE)
    location = forms.CharField(label=_("Ort"), required=False, max_length=200)

    def __init__(self, *args, committees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class ConflictForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, **VERSION)
    member = forms.ModelChoiceField(label=_("Mitglied"), queryset=None)
    reason = forms.CharField(label=_("Grund"), required=False, max_length=300)

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class VotesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, **VERSION)
    recommended_amount = MoneyField(label=_("Empfohlener Betrag in €"), required=False)

    def __init__(self, *args, item, members, conflicted, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.members = [m for m in members if m.pk not in conflicted]
        for member in self.members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.name,
                choices=[("", _("nicht anwesend")), *MemberVote.Choice.choices],
                required=False,
            )
        self.fields["recommended_amount"].initial = item.proposed_amount
        self.prefix = f"item{item.pk}"

    def member_fields(self):
        return [self[f"member_{m.pk}"] for m in self.members]

    def votes(self) -> dict[int, str]:
        return {
            m.pk: self.cleaned_data[f"member_{m.pk}"]
            for m in self.members
            if self.cleaned_data.get(f"member_{m.pk}")
        }


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, **VERSION)
    minutes = forms.CharField(
        label=_("Niederschrift"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    close = forms.BooleanField(label=_("Sitzung abschließen"), required=False)


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class SavedFilterForm(forms.Form):
    """Saves the work queue's current filter under a name (the query travels hidden)."""

    name = forms.CharField(
        label=_("Name des Filters"),
        max_length=80,
        error_messages={
            "required": _("Bitte geben Sie dem Filter einen Namen."),
            "max_length": _("Der Name ist zu lang (höchstens 80 Zeichen)."),
        },
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Bitte geben Sie dem Filter einen Namen."))
        return name
