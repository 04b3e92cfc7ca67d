"""Committees, their members and meetings: agenda items, conflicts of interest, the members' votes
and the committee's vote (Votum) on an application."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application
from grants.models.base import CENT, MONEY
from grants.models.programmes import Programme


class CommitteeVote(models.Model):
    """Votum of a committee or jury on one application."""

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Bewilligung empfohlen")
        REJECT = "reject", _("Ablehnung empfohlen")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="votes")
    body = models.CharField(_("Gremium"), max_length=200)
    meeting_date = models.DateField(_("Sitzung am"))
    votes_yes = models.PositiveSmallIntegerField(_("Ja"), default=0)
    votes_no = models.PositiveSmallIntegerField(_("Nein"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("Enthaltung"), default=0)
    recommendation = models.CharField(_("Ergebnis"), max_length=10, choices=Recommendation.choices)
    recommended_amount = models.DecimalField(
        _("empfohlener Betrag"), **MONEY, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Votum")
        verbose_name_plural = _("Voten")

    def __str__(self) -> str:
        return f"{self.body} {self.meeting_date}: {self.get_recommendation_display()}"


class Committee(models.Model):
    """A deciding body: Arbeitsausschuss des WIR 2.0-Kuratoriums, Fachjury, …"""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="committees",
        verbose_name=_("Förderprogramm"),
    )
    name = models.CharField(_("Name"), max_length=200)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="committee_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("Gremium")
    )
    name = models.CharField(_("Name"), max_length=200)
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(_("stimmberechtigt"), default=True)

    class Meta:
        verbose_name = _("Gremiumsmitglied")
        verbose_name_plural = _("Gremiumsmitglieder")
        ordering = ["committee", "position", "name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """Sitzung of a committee; closed once its minutes are final."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("Gremium")
    )
    date = models.DateField(_("Sitzung am"))
    location = models.CharField(_("Ort"), max_length=200, blank=True)
    minutes = models.TextField(_("Niederschrift"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    # Raised by every change of the meeting or its items: a stale form is refused (no lost
    # update when two people record votes or minutes at once).
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.committee} {self.date:%d.%m.%Y}"

    @property
    def programme(self) -> Programme:
        return self.committee.programme


class AgendaItem(models.Model):
    """An application on a meeting's agenda, with the amount proposed and, later, the vote."""

    class Result(models.TextChoices):
        PENDING = "", _("noch nicht beraten")
        APPROVE = "approve", _("Bewilligung empfohlen")
        REJECT = "reject", _("Ablehnung empfohlen")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("TOP"))
    proposed_amount = models.DecimalField(
        _("vorgeschlagener Betrag"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    result = models.CharField(
        _("Ergebnis"), max_length=10, choices=Result.choices, blank=True, default=""
    )
    recommended_amount = models.DecimalField(
        _("empfohlener Betrag"), **MONEY, null=True, blank=True
    )
    vote = models.OneToOneField(
        CommitteeVote, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_item"
    )

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnung")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "application"], name="agenda_item_once_per_meeting"
            ),
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique"),
            models.CheckConstraint(
                condition=Q(proposed_amount__gt=0), name="agenda_item_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"TOP {self.position}: {self.application}"


class ConflictOfInterest(models.Model):
    """Befangenheit: the member declared a conflict for this item and does not vote on it."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("Grund"), max_length=300, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Befangenheit")
        verbose_name_plural = _("Befangenheiten")
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "member"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.agenda_item}"


class MemberVote(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", _("Ja")
        NO = "no", _("Nein")
        ABSTAIN = "abstain", _("Enthaltung")

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="member_votes"
    )
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("Stimme"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "member"], name="member_vote_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_choice_display()}"
