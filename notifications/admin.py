"""Admin: the outbox is read-only (failed mails can be resent), templates are edited here."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.template import TemplateSyntaxError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import (
    BouncedAddress,
    DeliveryEvent,
    Digest,
    Message,
    MessageTemplate,
    NotificationPreference,
    Reminder,
)
from notifications.rendering import text_engine
from notifications.services import message_resend


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "kind",
        "to",
        "subject",
        "state",
        "attempts",
        "delivery_status",
        "application",
    ]
    list_filter = ["state", "delivery_status", "kind", "language"]
    search_fields = ["to", "subject", "application__file_number", "provider_message_id"]
    list_select_related = ["application"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [
        "kind",
        "to",
        "user",
        "language",
        "subject",
        "body_text",
        "attachments",
        "application",
        "event",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "provider_message_id",
        "delivery_status",
        "delivery_status_at",
        "delivery_detail",
        "created_at",
    ]
    exclude = ["body_html"]

    def has_change_permission(self, request, obj=None) -> bool:
        # Viewing needs "view"; the resend action needs "change" (see below).
        return request.user.has_perm("notifications.change_message") and obj is None

    @admin.action(description=_("Fehlgeschlagene E-Mails erneut senden"), permissions=["change"])
    def resend(self, request, queryset) -> None:
        failed = list(queryset.filter(state=Message.State.FAILED))
        for message in failed:
            message_resend(message=message, actor=request.user)
        skipped = queryset.count() - len(failed)
        self.message_user(
            request,
            ngettext(
                "%(count)d E-Mail wird erneut gesendet.",
                "%(count)d E-Mails werden erneut gesendet.",
                len(failed),
            )
            % {"count": len(failed)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                _(
                    "%(count)d ausgewählte E-Mails waren nicht fehlgeschlagen und bleiben, wie sie sind."
                )
                % {"count": skipped},
                messages.WARNING,
            )


def _file_source(kind: str, language: str) -> tuple[str, str]:
    """The shipped template, split into subject and body, as a starting point for staff."""
    template = text_engine.get_template(f"notifications/mail/{kind}.{language}.txt")
    source = Path(template.origin.name).read_text(encoding="utf-8")
    subject, _sep, body = source.partition("\n")
    return subject.strip(), body.strip("\n") + "\n"


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["kind", "language", "programme", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "cols": 100})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].required = False
        self.fields["subject"].required = False
        self.fields["body"].help_text = _(
            "Leer lassen, um mit dem mitgelieferten Text zu beginnen. Leerzeilen trennen "
            "Absätze, Zeilen mit „- “ werden Listen."
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        kind, language = cleaned.get("kind"), cleaned.get("language")
        if kind and language and not (cleaned.get("subject") and cleaned.get("body")):
            subject, body = _file_source(kind, language)
            cleaned["subject"] = cleaned.get("subject") or subject
            cleaned["body"] = cleaned.get("body") or body
        for field in ("subject", "body"):
            try:
                text_engine.from_string(cleaned.get(field) or "")
            except TemplateSyntaxError as exc:
                self.add_error(field, _("Fehler in der Vorlage: %(error)s") % {"error": exc})
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["kind", "language", "programme", "subject", "updated_at", "updated_by"]
    list_filter = ["kind", "language", "programme"]

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "application", "kind", "due_date"]
    list_filter = ["kind"]
    search_fields = ["application__file_number"]


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["day", "user", "message"]


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "esp", "event_type", "recipient", "message"]
    list_filter = ["esp", "event_type"]
    search_fields = ["recipient", "provider_message_id"]


@admin.register(BouncedAddress)
class BouncedAddressAdmin(admin.ModelAdmin):
    """Deleting a row clears the flag, e.g. after the person confirmed the address works."""

    list_display = ["email", "bounces", "last_bounced_at", "reason"]
    search_fields = ["email"]
    readonly_fields = ["email", "reason", "bounces", "first_bounced_at", "last_bounced_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "digest"]
    search_fields = ["user__email"]
    autocomplete_fields = ["user"]
