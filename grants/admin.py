"""Admin for configuration (programmes, calls, budgets, roles). Lifecycles are read-only here:
states change only through services, so that every change is checked and recorded."""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from applicants.models import ApplicantKind
from grants.models import (
    Application,
    Area,
    Budget,
    BudgetEntry,
    Call,
    CostCategory,
    CostLine,
    Decision,
    DocumentType,
    EarlyStart,
    FieldOfAction,
    FinancingCategory,
    FinancingLine,
    FinancingTypeRule,
    FundingArea,
    FundingBody,
    Payout,
    Programme,
    RepaymentClaim,
    StaffRole,
    StatusChange,
    TargetGroup,
)

admin.site.site_header = _("Förderportal – Verwaltung")
admin.site.site_title = _("Förderportal – Verwaltung")
admin.site.index_title = _("Einstellungen und Stammdaten")


class LabelledRowsFormSet(BaseInlineFormSet):
    """A table row's inputs have only the column heading, which is no label: each input gets
    an accessible name of its own, "Name, Zeile 2" (axe-core counted 263 unlabelled inputs on
    a programme's page)."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        row = _("neue Zeile") if index is None else _("Zeile %(n)s") % {"n": index + 1}
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            label = field.label or (_("Löschen") if name == "DELETE" else name)
            field.widget.attrs["aria-label"] = f"{label}, {row}"


class ProgrammeAdminForm(forms.ModelForm):
    # Stored as a JSON list of keys; edited as the applicant types people know.
    eligible_applicant_kinds = forms.TypedMultipleChoiceField(
        label=_("Antragsberechtigt"),
        choices=ApplicantKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Wer Anträge in diesem Programm stellen darf."),
    )

    class Meta:
        model = Programme
        # The admin adds the fields of its fieldsets; this form only changes this one.
        fields = ["eligible_applicant_kinds"]

    def clean_eligible_applicant_kinds(self) -> list[str]:
        return list(self.cleaned_data["eligible_applicant_kinds"])


def _by_programme(queryset) -> list:
    """Choices grouped by programme (one optgroup each), for items that belong to one."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for item in queryset.select_related("programme").order_by("programme__code", "position"):
        groups.setdefault(f"{item.programme.code} – {item.programme.name}", []).append(
            (item.pk, item.name)
        )
    return [("", "---------"), *groups.items()]


class GroupedByProgramme:
    """Admin mixin: the programme items of a form (funding area, say) grouped by programme."""

    grouped_by_programme: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name in self.grouped_by_programme:
            field.choices = _by_programme(field.queryset)
        return field


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def _config_inline(model_cls, fields=("position", "code", "name")):
    return type(
        f"{model_cls.__name__}Inline",
        (admin.TabularInline,),
        {"model": model_cls, "extra": 0, "fields": list(fields), "formset": LabelledRowsFormSet},
    )


@admin.register(FundingBody)
class FundingBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "iban"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    form = ProgrammeAdminForm
    list_display = ["code", "name", "funding_body", "teilhaushalt", "produkt", "is_active"]
    search_fields = ["code", "name"]
    inlines = [
        _config_inline(
            FinancingTypeRule,
            ("position", "amount_up_to", "min_own_share_percent", "financing_type"),
        ),
        _config_inline(FundingArea),
        _config_inline(FieldOfAction),
        _config_inline(Area),
        _config_inline(TargetGroup),
        _config_inline(CostCategory),
        _config_inline(FinancingCategory, ("position", "code", "name", "kind")),
        _config_inline(
            DocumentType, ("position", "code", "name", "stage", "required_for_submission")
        ),
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "funding_body",
                    "code",
                    "name",
                    "legal_basis",
                    "description",
                    "name_en",
                    "description_en",
                    "internal_notes",
                    "responsible_unit",
                    "contact_email",
                    "is_active",
                ]
            },
        ),
        (
            _("Haushalt"),
            {
                "fields": [
                    "teilhaushalt",
                    "produkt",
                    "produkt_name",
                    "sachkonto",
                    "kostenstelle",
                    "innenauftrag",
                ]
            },
        ),
        (
            _("Regeln"),
            {
                "fields": [
                    "max_amount_per_application",
                    "min_amount_per_application",
                    "min_own_share_percent",
                    "administrative_decision_limit",
                    "vote_deviation_allowed",
                    "max_project_months",
                    "max_fiscal_years",
                    "proof_of_use_months",
                    "appeal_period_months",
                    "payout_need_months",
                    "eligible_applicant_kinds",
                ]
            },
        ),
    ]


class BudgetEntryInline(ReadOnlyInline):
    model = BudgetEntry
    fields = ["created_at", "kind", "amount", "application", "actor", "note"]
    readonly_fields = fields


@admin.register(Budget)
class BudgetAdmin(GroupedByProgramme, SimpleHistoryAdmin):
    grouped_by_programme = ("funding_area",)
    list_display = [
        "programme",
        "fiscal_year",
        "funding_area",
        "amount",
        "committed",
        "available",
        "is_example",
    ]
    list_filter = ["programme", "fiscal_year", "is_example"]
    readonly_fields = ["committed"]
    inlines = [BudgetEntryInline]

    def get_object(self, request, object_id, from_field=None):
        """A save locks the budget row for the whole of the admin's transaction (the change
        view runs in one): an approval booking meanwhile waits, so the check against what is
        committed (``Budget.clean``) and the save both see the latest commitment, and the
        save never writes back a stale ``committed``. Without it, an approval between the
        check and the save ended in the database's refusal (500) or lost its booking."""
        budget = super().get_object(request, object_id, from_field)
        if budget is None or request.method != "POST":
            return budget
        return Budget.objects.select_for_update().get(pk=budget.pk)

    @admin.display(description=_("verfügbar"))
    def available(self, obj: Budget):
        return obj.available


@admin.register(Call)
class CallAdmin(GroupedByProgramme, SimpleHistoryAdmin):
    grouped_by_programme = ("funding_area",)
    list_display = ["title", "programme", "funding_area", "opens_at", "deadline", "decision_track"]
    list_filter = ["programme", "decision_track"]
    search_fields = ["title", "theme"]


@admin.register(StaffRole)
class StaffRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "programme", "role"]
    list_filter = ["programme", "role"]
    autocomplete_fields = ["user"]


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fk_name = "application"
    fields = [
        "created_at",
        "lifecycle",
        "transition",
        "source_state",
        "target_state",
        "actor",
        "reason",
    ]
    readonly_fields = fields


class CostLineInline(ReadOnlyInline):
    model = CostLine
    fields = ["category", "description", "amount", "actual_amount"]
    readonly_fields = fields


class FinancingLineInline(ReadOnlyInline):
    model = FinancingLine
    fields = ["category", "description", "amount", "actual_amount"]
    readonly_fields = fields


class PayoutInline(ReadOnlyInline):
    model = Payout
    fields = ["state", "kind", "amount", "due_date", "certified_by", "ordered_by", "paid_on"]
    readonly_fields = fields


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ["outcome", "status", "amount", "financing_type", "proposed_by", "confirmed_by"]
    readonly_fields = fields


class RecordAdmin(admin.ModelAdmin):
    """A record of the procedure: shown, never added, edited or deleted here (its steps go
    through the services, which check and record them)."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(RecordAdmin):
    list_display = ["file_number", "title", "applicant", "programme", "state", "approved_amount"]
    list_filter = ["programme", "state"]
    search_fields = ["file_number", "title", "applicant__name"]
    inlines = [
        CostLineInline,
        FinancingLineInline,
        DecisionInline,
        PayoutInline,
        StatusChangeInline,
    ]

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            "target_groups",
            "fields_of_action",
            "areas",
        ]


@admin.register(Payout)
class PayoutAdmin(RecordAdmin):
    list_display = ["application", "state", "amount", "due_date", "certified_by", "ordered_by"]
    list_filter = ["state", "application__programme"]


class EarlyStartStatusChangeInline(StatusChangeInline):
    fk_name = "early_start"


@admin.register(EarlyStart)
class EarlyStartAdmin(RecordAdmin):
    """Early starts are decisions: requested by the applicant, consented or refused by a case
    worker through the case file, each step checked and recorded. Here they are read only."""

    list_display = [
        "application",
        "programme",
        "state",
        "requested_start",
        "allowed_from",
        "requested_at",
        "decided_at",
    ]
    list_filter = ["application__programme", "state", "requested_at"]
    list_select_related = ["application__programme"]
    search_fields = ["application__file_number"]
    date_hierarchy = "requested_at"
    inlines = [EarlyStartStatusChangeInline]

    @admin.display(description=_("Förderprogramm"), ordering="application__programme__name")
    def programme(self, obj: EarlyStart) -> str:
        return str(obj.application.programme)


@admin.register(RepaymentClaim)
class RepaymentClaimAdmin(PayoutAdmin):
    list_display = ["application", "state", "principal", "interest", "due_date"]
    list_filter = ["state"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The audit trail: visible, never editable."""

    list_display = [
        "created_at",
        "application",
        "lifecycle",
        "transition",
        "source_state",
        "target_state",
        "actor",
    ]
    list_filter = ["lifecycle", "transition"]
    search_fields = ["application__file_number", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- case work: configuration staff maintain per programme -----------------------------------

from grants.models import (  # noqa: E402
    AssessmentCriterion,
    BaseRate,
    ChecklistItem,
    Committee,
    CommitteeMember,
    LetterTemplate,
)


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 1


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "is_active"]
    list_filter = ["programme"]
    inlines = [CommitteeMemberInline]


@admin.register(ChecklistItem, AssessmentCriterion)
class ProgrammeListAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "position"]
    list_filter = ["programme"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "kind", "language", "updated_at", "updated_by"]
    list_filter = ["programme", "kind", "language"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(BaseRate)
class BaseRateAdmin(admin.ModelAdmin):
    """New rates are added each January and July; existing ones stay as they were."""

    list_display = ["valid_from", "rate_percent", "source", "checked_on"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
