from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from applicants.models import Applicant, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "language"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "language"]}),
        (
            _("Rechte"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Daten"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


@admin.register(Applicant)
class ApplicantAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "city", "contact_name", "iban"]
    # Bank details change only through the organisation's own profile, where the change
    # sends open payouts back to certification and mails the owners; here they are read.
    readonly_fields = ["account_holder", "iban", "bic"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_name", "email", "register_number"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "legal_form"]}),
        (
            _("Register und Gemeinnützigkeit"),
            {
                "fields": [
                    "register_court",
                    "register_number",
                    "tax_exemption_office",
                    "tax_exemption_date",
                ]
            },
        ),
        (_("Anschrift"), {"fields": ["street", "postal_code", "city", "email", "phone"]}),
        (_("Ansprechperson"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (
            _("Bankverbindung"),
            {"fields": ["account_holder", "iban", "bic", "creditor_number"]},
        ),
    ]
