from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Förderung")

    def ready(self) -> None:
        # Decision mails carry the letter as PDF: the notifications app asks its registered
        # providers for the files of a decision (see notifications/attachments.py).
        from django.apps import apps

        if apps.is_installed("notifications"):
            from grants.letters import decision_letter_attachment
            from notifications.attachments import register_decision_letter

            register_decision_letter(decision_letter_attachment)
