"""Forms of the applicant portal. They turn input into domain values (dates, Decimals, rows of
the plan); the services decide. None of them contains a lifecycle state."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import Applicant
from applicants.uploads import accepted_formats, check_upload
from core.forms import DatePartsField, MoneyField
from grants.models import (
    Application,
    Area,
    Call,
    ChangeRequest,
    CostCategory,
    CostLine,
    DocumentType,
    FieldOfAction,
    FinancingCategory,
    Programme,
    TargetGroup,
    UnplannedIncome,
    add_months,
    applicant_kind_refusal,
    period_last_day,
)
from grants.services.applications import MAX_COST_LINES, MAX_FINANCING_LINES
from grants.services.base import MAX_LINE_AMOUNT


class StartForm(forms.Form):
    applicant = forms.ModelChoiceField(
        label=_("Wer stellt den Antrag?"),
        queryset=Applicant.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Projekttitel"),
        max_length=200,
        help_text=_("Ein kurzer Name für Ihr Projekt. Sie können ihn später ändern."),
    )

    def __init__(self, *args, applicants, call: Call, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["applicant"].queryset = applicants
        if applicants.count() == 1:
            self.fields["applicant"].initial = applicants.first()
            self.fields["applicant"].widget = forms.HiddenInput()

    def clean(self) -> dict:
        # Said at the field (on top where the only profile is preset and hidden) before the
        # service refuses it with the same rule.
        applicant = self.cleaned_data.get("applicant")
        refusal = applicant and applicant_kind_refusal(self.call.programme, applicant.kind)
        if refusal:
            hidden = isinstance(self.fields["applicant"].widget, forms.HiddenInput)
            self.add_error(None if hidden else "applicant", refusal)
        return self.cleaned_data


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "title",
            "summary",
            "goals",
            "start_date",
            "end_date",
            "expected_participants",
            "early_start_requested",
            "early_start_reason",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "goals": forms.Textarea(attrs={"rows": 5}),
            "early_start_reason": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"start_date": DatePartsField, "end_date": DatePartsField}
        help_texts = {
            "summary": _("Was machen Sie? Mit wem? Wo? Zwei bis fünf Sätze reichen."),
            "goals": _("Was soll sich durch das Projekt verändern?"),
            "expected_participants": _("Eine Schätzung reicht. Bitte keine Namen."),
            "early_start_requested": _(
                "Nur ankreuzen, wenn das Projekt beginnen muss, bevor über den Antrag entschieden ist."
            ),
        }

    def __init__(self, *args, programme: Programme, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["title"].required = True
        # Needed to submit, not to save a draft: so not marked "optional".
        for name in ("summary", "goals", "start_date", "end_date"):
            self.fields[name].needed_for_submission = True
        self.fields["expected_participants"].max_value = 1_000_000
        self.fields["expected_participants"].widget.attrs["inputmode"] = "numeric"
        self.fields["end_date"].help_text = _(
            "Das Projekt darf höchstens %(months)s Monate dauern."
        ) % {"months": programme.max_project_months}

    def clean_expected_participants(self):
        value = self.cleaned_data.get("expected_participants")
        if value is not None and value > 1_000_000:
            raise forms.ValidationError(_("Diese Zahl ist unrealistisch hoch."))
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Das Projektende liegt vor dem Projektbeginn."))
        elif start and end and end > period_last_day(start, self.programme.max_project_months):
            self.add_error(
                "end_date",
                _("Das Projekt darf höchstens %(months)s Monate dauern.")
                % {"months": self.programme.max_project_months},
            )
        if start and start <= timezone.localdate() and not cleaned.get("early_start_requested"):
            self.add_error(
                "start_date",
                _(
                    "Das Projekt darf erst nach der Antragstellung beginnen. Bitte wählen Sie ein "
                    "späteres Datum oder beantragen Sie einen vorzeitigen Beginn."
                ),
            )
        if (
            cleaned.get("early_start_requested")
            and not (cleaned.get("early_start_reason") or "").strip()
        ):
            self.add_error(
                "early_start_reason",
                _("Bitte begründen Sie, warum das Projekt vorzeitig beginnen soll."),
            )
        return cleaned


class ClassificationForm(forms.Form):
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Für wen ist das Projekt?"),
        queryset=TargetGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fields_of_action = forms.ModelMultipleChoiceField(
        label=_("Zu welchen Themen gehört das Projekt?"),
        queryset=FieldOfAction.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Wo findet das Projekt statt?"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, programme: Programme, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = programme.target_groups.all()
        self.fields["fields_of_action"].queryset = programme.fields_of_action.all()
        self.fields["areas"].queryset = programme.areas.all()
        self.fields["target_groups"].help_text = _("Mehrere Antworten sind möglich.")
        self.fields["fields_of_action"].help_text = _("Mehrere Antworten sind möglich.")
        self.fields["areas"].help_text = _("Mehrere Antworten sind möglich.")


class _PlanLineForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Art"), queryset=CostCategory.objects.none())
    description = forms.CharField(label=_("Beschreibung"), max_length=200)
    amount = MoneyField(max_value=MAX_LINE_AMOUNT, label=_("Betrag in Euro"))

    def __init__(self, *args, categories=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["category"].empty_label = _("Bitte wählen")


class CostLineForm(_PlanLineForm):
    pass


class FinancingLineForm(_PlanLineForm):
    description = forms.CharField(label=_("Beschreibung"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = self.fields["category"].queryset.order_by(
            "position", "name"
        )


class BasePlanFormSet(forms.BaseFormSet):
    deletion_widget = forms.CheckboxInput

    def __init__(self, *args, categories, **kwargs) -> None:
        self.categories = categories
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "categories": self.categories}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            categories=self.categories,
        )
        self.add_fields(form, None)
        return form

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Zeile löschen")

    def rows(self) -> list[dict]:
        """The rows to keep: filled in and not marked for deletion."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


# absolute_max: Django would otherwise build up to 1,000 more forms than max_num from a forged
# TOTAL_FORMS (5-6 s of a worker for one request); validate_max says so in the form.
CostFormSet = forms.formset_factory(
    CostLineForm,
    formset=BasePlanFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_COST_LINES,
    absolute_max=MAX_COST_LINES,
    validate_max=True,
)
FinancingFormSet = forms.formset_factory(
    FinancingLineForm,
    formset=BasePlanFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_FINANCING_LINES,
    absolute_max=MAX_FINANCING_LINES,
    validate_max=True,
)


def plan_formsets(
    application: Application, data=None, extra_rows: int = 0
) -> tuple[BasePlanFormSet, BasePlanFormSet]:
    programme = application.programme
    cost_initial = [
        {"category": line.category_id, "description": line.description, "amount": line.amount}
        for line in application.cost_lines.all()
    ]
    financing_initial = [
        {"category": line.category_id, "description": line.description, "amount": line.amount}
        for line in application.financing_lines.all()
    ]
    costs = CostFormSet(
        data,
        prefix="costs",
        initial=cost_initial,
        categories=CostCategory.objects.filter(programme=programme),
        form_kwargs={},
    )
    financing = FinancingFormSet(
        data,
        prefix="financing",
        initial=financing_initial,
        categories=FinancingCategory.objects.filter(programme=programme),
    )
    if extra_rows and data is None:
        costs.extra += extra_rows
        financing.extra += extra_rows
    return costs, financing


class AttachmentForm(forms.Form):
    document_type = forms.ModelChoiceField(
        label=_("Art der Unterlage"), queryset=DocumentType.objects.none()
    )
    file = forms.FileField(label=_("Datei"))

    def __init__(self, *args, document_types, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = document_types
        self.fields["document_type"].empty_label = _("Bitte wählen")
        self.fields["file"].help_text = _("Erlaubt: %(formats)s. Höchstens %(size)s.") % {
            "formats": accepted_formats(),
            "size": filesizeformat(settings.MAX_UPLOAD_BYTES),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class ResubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Nachricht an die Förderstelle"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zum Beispiel: was Sie geändert oder nachgereicht haben."),
    )


YES_NO = [("yes", _("Ja")), ("no", _("Nein"))]


class DeclarationsForm(ResubmitForm):
    """The declarations German grant forms ask for before submission (Erklärungen), and the
    note of a resubmission. ``declarations()`` keeps their wording with the answers, for the
    version of record."""

    subsidy_facts = forms.BooleanField(
        label=_(
            "Ich versichere, dass meine Angaben richtig und vollständig sind. Mir ist bekannt, "
            "dass die Angaben zu Antragsteller*in, Projekt, Kosten und Finanzierung "
            "subventionserheblich im Sinne von § 264 Strafgesetzbuch sind. Änderungen teile "
            "ich der Förderstelle unverzüglich mit."
        ),
        error_messages={"required": _("Bitte bestätigen Sie die Richtigkeit Ihrer Angaben.")},
    )
    input_tax = forms.ChoiceField(
        label=_("Sind Sie zum Vorsteuerabzug berechtigt?"),
        help_text=_(
            "Wenn ja, tragen Sie die Kosten ohne Umsatzsteuer (netto) ein. Die meisten "
            "gemeinnützigen Vereine sind es nicht."
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte sagen Sie, ob Sie Vorsteuer abziehen dürfen.")},
    )
    not_started = forms.BooleanField(
        label=_(
            "Das Projekt hat noch nicht begonnen: Es sind auch noch keine Aufträge vergeben "
            "und keine Verträge dafür geschlossen (außer bei beantragtem vorzeitigem Beginn)."
        ),
        error_messages={
            "required": _(
                "Bitte bestätigen Sie, dass das Projekt noch nicht begonnen hat. Sonst kann es "
                "nicht gefördert werden."
            )
        },
    )
    other_funding = forms.ChoiceField(
        label=_("Haben Sie für dieses Projekt anderswo Fördermittel beantragt oder bekommen?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte sagen Sie, ob Sie weitere Fördermittel beantragt haben.")
        },
    )
    other_funding_details = forms.CharField(
        label=_("Bei wem, wie viel, und was ist der Stand?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur wenn Sie „Ja“ gewählt haben."),
    )

    field_order = [
        "subsidy_facts",
        "input_tax",
        "not_started",
        "other_funding",
        "other_funding_details",
        "note",
    ]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("other_funding") == "yes"
            and not cleaned.get("other_funding_details", "").strip()
        ):
            self.add_error(
                "other_funding_details",
                _("Bitte nennen Sie die andere Förderung: bei wem, wie viel und den Stand."),
            )
        return cleaned

    def declarations(self) -> dict:
        """The answers with the questions as asked, for the version of record."""
        data = self.cleaned_data
        answers = dict(YES_NO)
        items = []
        for name in ("subsidy_facts", "input_tax", "not_started", "other_funding"):
            value = data[name]
            answer = answers["yes"] if value is True else answers.get(value, "")
            items.append({"key": name, "text": str(self.fields[name].label), "answer": str(answer)})
        if data["other_funding"] == "yes":
            items.append(
                {
                    "key": "other_funding_details",
                    "text": str(self.fields["other_funding_details"].label),
                    "answer": data["other_funding_details"].strip(),
                }
            )
        return {
            "items": items,
            "input_tax": data["input_tax"],
            "other_funding": data["other_funding"],
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Warum ziehen Sie den Antrag zurück?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Bitte geben Sie eine Begründung an.")},
    )
    confirm = forms.BooleanField(
        label=_("Ich möchte den Antrag zurückziehen. Das kann ich nicht rückgängig machen."),
        error_messages={"required": _("Bitte bestätigen Sie, dass Sie den Antrag zurückziehen.")},
    )


class WaiveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ich bin mit dem Bescheid einverstanden und verzichte auf Rechtsbehelfe (Klage)."),
        error_messages={"required": _("Bitte bestätigen Sie den Verzicht.")},
    )


class PayoutRequestForm(forms.Form):
    amount = MoneyField(max_value=MAX_LINE_AMOUNT, label=_("Betrag in Euro"))
    needed_on = DatePartsField(label=_("Wann brauchen Sie das Geld?"))
    note = forms.CharField(
        label=_("Wofür brauchen Sie das Geld?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, months: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.months = months
        self.fields["needed_on"].help_text = _(
            "Sie dürfen nur Geld abrufen, das Sie in den nächsten %(months)s Monaten ausgeben."
        ) % {"months": months}

    def clean_needed_on(self):
        value = self.cleaned_data["needed_on"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("Das Datum liegt in der Vergangenheit."))
        if value > add_months(today, self.months):
            raise forms.ValidationError(
                _("Sie dürfen nur Geld für die nächsten %(months)s Monate abrufen.")
                % {"months": self.months}
            )
        return value


class ProofForm(forms.Form):
    report = forms.CharField(
        label=_("Sachbericht"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Was haben Sie gemacht? Wie viele Menschen haben teilgenommen? Was hat gut "
            "funktioniert, was nicht? Was hat sich gegenüber dem Antrag geändert?"
        ),
    )

    def __init__(self, *args, application: Application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cost_lines = list(application.cost_lines.select_related("category"))
        self.financing_lines = list(
            application.financing_lines.select_related("category").exclude(category__kind="grant")
        )
        self.initial.setdefault("report", application.proof_report)
        # Needed to submit the proof, not to save it in between: so not marked "optional".
        self.fields["report"].needed_for_submission = True
        for line in self.cost_lines:
            self.fields[f"cost_{line.pk}"] = MoneyField(
                max_value=MAX_LINE_AMOUNT,
                label=_("Tatsächliche Ausgaben: %(line)s") % {"line": line.description},
                required=False,
                min_value=Decimal("0.00"),
                initial=line.actual_amount,
            )
        for line in self.financing_lines:
            self.fields[f"financing_{line.pk}"] = MoneyField(
                max_value=MAX_LINE_AMOUNT,
                label=_("Tatsächliche Einnahmen: %(line)s")
                % {"line": line.description or line.category.name},
                required=False,
                min_value=Decimal("0.00"),
                initial=line.actual_amount,
            )

    def cost_rows(self):
        return [(line, self[f"cost_{line.pk}"]) for line in self.cost_lines]

    def financing_rows(self):
        return [(line, self[f"financing_{line.pk}"]) for line in self.financing_lines]

    def actual_costs(self) -> dict[int, Decimal | None]:
        return {line.pk: self.cleaned_data.get(f"cost_{line.pk}") for line in self.cost_lines}

    def actual_financing(self) -> dict[int, Decimal | None]:
        return {
            line.pk: self.cleaned_data.get(f"financing_{line.pk}") for line in self.financing_lines
        }


class ReceiptForm(forms.Form):
    cost_line = forms.ModelChoiceField(
        label=_("Ausgabenposition"), queryset=CostLine.objects.none()
    )
    date = DatePartsField(label=_("Datum des Belegs"))
    payee = forms.CharField(label=_("Empfänger*in"), max_length=200)
    description = forms.CharField(label=_("Zweck"), max_length=200)
    amount = MoneyField(max_value=MAX_LINE_AMOUNT, label=_("Betrag in Euro"))
    file = forms.FileField(label=_("Beleg als Datei"), required=False)

    def __init__(self, *args, application: Application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cost_line"].queryset = application.cost_lines.all()
        self.fields["cost_line"].empty_label = _("Bitte wählen")
        self.fields["file"].help_text = _(
            "Die Rechnung oder Quittung, wenn Sie sie schon haben. Erlaubt: %(formats)s."
        ) % {"formats": accepted_formats()}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Das Belegdatum liegt in der Zukunft."))
        return value


class UnplannedIncomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Art der Einnahme"),
        choices=UnplannedIncome.Kind.choices,
        error_messages={"required": _("Bitte wählen Sie die Art der Einnahme.")},
    )
    description = forms.CharField(
        label=_("Von wem / wofür"),
        max_length=200,
        help_text=_("z. B. „Spende der Bürgerstiftung“ oder „Zuschuss des Stadtbezirksrats“"),
    )
    amount = MoneyField(max_value=MAX_LINE_AMOUNT, label=_("Betrag in Euro"))


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Was möchten Sie ändern?"),
        choices=ChangeRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie die Art der Änderung.")},
    )
    new_funding_end = DatePartsField(
        label=_("Neues Ende des Förderzeitraums"),
        help_text=_("Nur bei einer Verlängerung."),
        required=False,
    )
    reason = forms.CharField(
        label=_("Warum ist die Änderung nötig?"),
        help_text=_(
            "Bei einer Änderung des Finanzierungsplans: welche Posten sich wie ändern. "
            "Die neuen Beträge tragen Sie später im Verwendungsnachweis ein."
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Bitte begründen Sie die beantragte Änderung.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ChangeRequest.Kind.PERIOD and not data.get("new_funding_end"):
            self.add_error(
                "new_funding_end", _("Bitte geben Sie das neue Ende des Förderzeitraums an.")
            )
        return data
