"""The mail outbox and what it needs to remember.

A ``Message`` is written in the same transaction as the change it announces and sent later by
a worker (``notifications.outbox``). Its ``state`` belongs to the sender; its
``delivery_status`` to the ESP's webhooks. ``Reminder`` and ``Digest`` rows make the periodic
command idempotent: the unique constraint, not a check in Python, stops a second run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a message says; each kind has a template per language (``mail/<kind>.<lang>.txt``)."""

    RECEIPT = "receipt", _("Eingangsbestätigung")
    CHANGES_REQUESTED = "changes_requested", _("Nachforderung")
    PROOF_CHANGES_REQUESTED = "proof_changes_requested", _("Nachforderung zum Nachweis")
    RESUBMITTED = "resubmitted", _("Unterlagen nachgereicht (an Sachbearbeitung)")
    APPROVED = "approved", _("Bewilligung")
    REJECTED = "rejected", _("Ablehnung")
    NOTICE_FINAL = "notice_final", _("Bescheid bestandskräftig")
    PAYOUT_ORDERED = "payout_ordered", _("Auszahlung angeordnet")
    PAYOUT_PAID = "payout_paid", _("Auszahlung erfolgt")
    PROOF_REMINDER_4W = "proof_reminder_4w", _("Erinnerung Verwendungsnachweis (4 Wochen)")
    PROOF_REMINDER_1W = "proof_reminder_1w", _("Erinnerung Verwendungsnachweis (1 Woche)")
    PROOF_OVERDUE = "proof_overdue", _("Verwendungsnachweis überfällig")
    RESPONSE_REMINDER = "response_reminder", _("Erinnerung Nachforderung")
    PROOF_ACCEPTED = "proof_accepted", _("Ergebnis der Nachweisprüfung")
    REPAYMENT_CLAIM = "repayment_claim", _("Rückforderung")
    INVITATION = "invitation", _("Einladung in eine Organisation")
    VERIFY_EMAIL = "verify_email", _("Bestätigung der E-Mail-Adresse")
    ACCOUNT_EXISTS = "account_exists", _("Hinweis: Konto besteht bereits")
    PASSWORD_RESET = "password_reset", _("Neues Passwort")
    DIGEST = "digest", _("Tägliche Übersicht (Sachbearbeitung)")
    BANK_DETAILS_CHANGED = "bank_details_changed", _("Bankverbindung geändert")


class Message(models.Model):
    """One e-mail to one address, rendered in the recipient's language when it was written."""

    class State(models.TextChoices):
        READY = "ready", _("wartet auf Versand")
        SENDING = "sending", _("wird versendet")
        SENT = "sent", _("versendet")
        FAILED = "failed", _("fehlgeschlagen")

    class Delivery(models.TextChoices):
        UNKNOWN = "", _("unbekannt")
        DELIVERED = "delivered", _("zugestellt")
        BOUNCED = "bounced", _("unzustellbar")
        REJECTED = "rejected", _("abgelehnt")

    kind = models.CharField(_("Art"), max_length=40, choices=Kind.choices)
    to = models.EmailField(_("Empfänger*in"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("Benutzer*in"),
    )
    language = models.CharField(_("Sprache"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("Betreff"), max_length=255)
    body_text = models.TextField(_("Text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"name": <storage name>, "filename": ..., "mimetype": ...}]: files are read at send time.
    attachments = models.JSONField(_("Anhänge"), default=list, blank=True)
    application = models.ForeignKey(
        "grants.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("Antrag"),
    )
    event = models.ForeignKey(
        "grants.DomainEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("Ereignis"),
    )

    state = models.CharField(
        _("Versand"), max_length=10, choices=State.choices, default=State.READY, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    sent_at = models.DateTimeField(_("versendet am"), null=True, blank=True)
    provider_message_id = models.CharField(
        _("ID beim Versanddienst"), max_length=255, blank=True, db_index=True
    )
    delivery_status = models.CharField(
        _("Zustellung"), max_length=10, choices=Delivery.choices, default="", blank=True
    )
    delivery_status_at = models.DateTimeField(_("Zustellung gemeldet am"), null=True, blank=True)
    delivery_detail = models.TextField(_("Meldung des Versanddienstes"), blank=True)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("E-Mail")
        verbose_name_plural = _("E-Mails (Postausgang)")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="message_due_idx")]
        constraints = [
            # One mail per event and address, whatever calls the subscriber twice.
            models.UniqueConstraint(
                fields=["event", "kind", "to"],
                condition=Q(event__isnull=False),
                name="message_once_per_event_and_address",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="message_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class MessageTemplate(models.Model):
    """A staff-edited text that replaces the file template of a kind and language, for one
    programme or (programme empty) for all."""

    kind = models.CharField(_("Art"), max_length=40, choices=Kind.choices)
    language = models.CharField(_("Sprache"), max_length=5, choices=settings.LANGUAGES)
    programme = models.ForeignKey(
        "grants.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_templates",
        verbose_name=_("Programm"),
        help_text=_("leer = für alle Programme"),
    )
    subject = models.CharField(
        _("Betreff"),
        max_length=255,
        help_text=_("Django-Vorlage, z. B. „Ihr Antrag {{ file_number }}“"),
    )
    body = models.TextField(
        _("Text"),
        help_text=_(
            "Django-Vorlage. Leerzeilen trennen Absätze, Zeilen mit „- “ werden Listen. "
            "Die HTML-Fassung entsteht daraus."
        ),
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("E-Mail-Vorlage")
        verbose_name_plural = _("E-Mail-Vorlagen")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "programme"], name="message_template_unique"
            ),
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=Q(programme__isnull=True),
                name="message_template_unique_default",
            ),
        ]

    def __str__(self) -> str:
        scope = self.programme.code if self.programme_id else _("alle Programme")
        return f"{self.get_kind_display()} ({self.language}, {scope})"


class Reminder(models.Model):
    """A reminder that went out: one per application, kind and deadline. A moved deadline
    is a new deadline and is reminded again."""

    class Kind(models.TextChoices):
        PROOF_4W = "proof_4w", _("Nachweis in 4 Wochen fällig")
        PROOF_1W = "proof_1w", _("Nachweis in 1 Woche fällig")
        PROOF_OVERDUE = "proof_overdue", _("Nachweis überfällig")
        RESPONSE_DUE = "response_due", _("Frist der Nachforderung")

    application = models.ForeignKey(
        "grants.Application", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    due_date = models.DateField(_("Frist"))
    created_at = models.DateTimeField(_("erinnert am"), default=timezone.now)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "due_date"], name="reminder_once_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.get_kind_display()} ({self.due_date})"


class Digest(models.Model):
    """The daily overview of one case worker on one day (sent or found empty)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("Tag"))
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Tagesübersicht")
        verbose_name_plural = _("Tagesübersichten")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"


class DeliveryEvent(models.Model):
    """A tracking event from the ESP's webhook, stored once under its ``key`` (the ESP's
    event id, or a hash of its content when the ESP sends none)."""

    key = models.CharField(max_length=200, unique=True)
    esp = models.CharField(_("Versanddienst"), max_length=40)
    event_type = models.CharField(_("Ereignis"), max_length=30)
    provider_message_id = models.CharField(max_length=255, blank=True)
    recipient = models.EmailField(blank=True)
    message = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delivery_events",
    )
    occurred_at = models.DateTimeField(null=True, blank=True)
    detail = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Zustellmeldung")
        verbose_name_plural = _("Zustellmeldungen")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.esp} {self.event_type} {self.recipient}"


class BouncedAddress(models.Model):
    """An address the ESP could not deliver to; shown on the profile until it is changed or
    a later mail arrives there."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    reason = models.TextField(_("Grund"), blank=True)
    bounces = models.PositiveIntegerField(_("Anzahl"), default=1)
    first_bounced_at = models.DateTimeField(default=timezone.now)
    last_bounced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Unzustellbare Adresse")
        verbose_name_plural = _("Unzustellbare Adressen")
        ordering = ["-last_bounced_at"]

    def __str__(self) -> str:
        return self.email


class NotificationPreference(models.Model):
    """Which optional messages a user wants. Mails about their own procedure are not
    optional; the language is ``User.language``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    digest = models.BooleanField(
        _("Tägliche Übersicht"),
        default=True,
        help_text=_("Sachbearbeitung: täglich eine E-Mail mit neuen und überfälligen Vorgängen."),
    )

    class Meta:
        verbose_name = _("Benachrichtigungseinstellung")
        verbose_name_plural = _("Benachrichtigungseinstellungen")

    def __str__(self) -> str:
        return str(self.user)
