"""Programme configuration: funding bodies, programmes and their rules, the lists a programme
chooses from (fields of action, areas, target groups, categories, document types), calls, and who
works on which programme. Every rule that differs between funders is a row here, so that a
further programme is configuration, not code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from applicants.models import ApplicantKind
from applicants.validators import validate_bic, validate_iban
from grants.models.base import CENT, MONEY, PERCENT, ZERO

if TYPE_CHECKING:
    from applicants.models import User


def _in_language(german: str, english: str) -> str:
    """The English text of a programme or call where one is given and English is active."""
    if english and (translation.get_language() or "").startswith("en"):
        return english
    return german


class FinancingType(models.TextChoices):
    FIXED_AMOUNT = "fixed_amount", _("Festbetragsfinanzierung")
    PROPORTIONAL = "proportional", _("Anteilsfinanzierung")
    DEFICIT = "deficit", _("Fehlbedarfsfinanzierung")


# Lower Saxony has abolished the Widerspruch for most administrative acts (§ 80 NJG): the
# remedy is an action before the administrative court, within one month.
DEFAULT_LEGAL_REMEDY = (
    "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim "
    "Verwaltungsgericht Hannover, Leonhardtstraße 15, 30175 Hannover, erhoben werden."
)


class FundingBody(models.Model):
    """The public body that grants (Zuwendungsgeber), as it signs its letters."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    department = models.CharField(_("Organisationseinheit"), max_length=200, blank=True)
    address = models.TextField(_("Anschrift"), blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    # Where repayments are paid to: the body's cash office account, named in recovery notices.
    account_holder = models.CharField(_("Kontoinhaber (Kasse)"), max_length=200, blank=True)
    iban = models.CharField(
        _("IBAN für Zahlungen an den Zuwendungsgeber"),
        max_length=34,
        blank=True,
        validators=[validate_iban],
    )
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    bank_name = models.CharField(_("Kreditinstitut"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Zuwendungsgeber")
        verbose_name_plural = _("Zuwendungsgeber")

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A funding programme (Förderprogramm) with its budget lines and rules."""

    funding_body = models.ForeignKey(
        FundingBody,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("Zuwendungsgeber"),
    )
    code = models.CharField(
        _("Kürzel"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]+$", _("Nur Großbuchstaben und Ziffern."))],
        help_text=_("Erscheint im Aktenzeichen, z. B. WIR2-2026-0001."),
    )
    name = models.CharField(_("Name"), max_length=200)
    legal_basis = models.TextField(_("Rechtsgrundlage"), blank=True)
    description = models.TextField(
        _("Beschreibung in einfacher Sprache"),
        blank=True,
        help_text=_("Öffentlich: steht auf der Seite der Förderprogramme."),
    )
    name_en = models.CharField(_("Name (englisch)"), max_length=200, blank=True)
    description_en = models.TextField(
        _("Beschreibung (englisch)"),
        blank=True,
        help_text=_("Leer: auch die englische Seite zeigt die deutsche Beschreibung."),
    )
    internal_notes = models.TextField(
        _("Interne Hinweise"),
        blank=True,
        help_text=_("Nur für die Verwaltung, nie für Antragstellende sichtbar."),
    )
    responsible_unit = models.CharField(_("Zuständige Stelle"), max_length=200, blank=True)
    contact_email = models.EmailField(
        _("Kontakt-E-Mail des Programms"),
        blank=True,
        help_text=_(
            "Erscheint auf den Seiten und in den E-Mails zu Anträgen dieses Programms; "
            "leer: die Adresse des Zuwendungsgebers."
        ),
    )

    teilhaushalt = models.CharField(_("Teilhaushalt"), max_length=10)
    produkt = models.CharField(_("Produkt"), max_length=20)
    produkt_name = models.CharField(_("Produktbezeichnung"), max_length=200, blank=True)
    sachkonto = models.CharField(
        _("Sachkonto"),
        max_length=8,
        validators=[RegexValidator(r"^\d{8}$", _("Das Sachkonto hat genau 8 Ziffern."))],
    )
    kostenstelle = models.CharField(_("Kostenstelle"), max_length=20)
    innenauftrag = models.CharField(_("Innenauftrag"), max_length=20, blank=True)

    max_amount_per_application = models.DecimalField(
        _("Höchstbetrag je Antrag"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    min_amount_per_application = models.DecimalField(
        _("Mindestbetrag je Antrag"),
        **MONEY,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text=_("0 = kein Mindestbetrag"),
    )
    min_own_share_percent = models.DecimalField(
        _("Mindest-Eigenanteil in %"),
        **PERCENT,
        default=Decimal("0.00"),
        validators=[MinValueValidator(ZERO)],
    )
    administrative_decision_limit = models.DecimalField(
        _("Verwaltung entscheidet allein bis"),
        **MONEY,
        default=ZERO,
        help_text=_("Darüber entscheidet ein Gremium."),
    )
    max_project_months = models.PositiveSmallIntegerField(
        _("Höchstlaufzeit in Monaten"), default=12
    )
    proof_of_use_months = models.PositiveSmallIntegerField(
        _("Frist Verwendungsnachweis (Monate nach Ende)"), default=6
    )
    appeal_period_months = models.PositiveSmallIntegerField(
        _("Rechtsbehelfsfrist in Monaten"), default=1
    )
    # The one legal remedy of the programme's notices: the case file, the applicant's pages,
    # every letter and every mail read this text, so they cannot disagree.
    legal_remedy = models.TextField(
        _("Rechtsbehelfsbelehrung"),
        default=DEFAULT_LEGAL_REMEDY,
        help_text=_("Gilt für alle Bescheide des Programms, auf der Seite, im PDF und in E-Mails."),
    )
    legal_remedy_en = models.TextField(
        _("Rechtsbehelfsbelehrung (englische Fassung)"),
        blank=True,
        help_text=_("Übersetzung zur Information; leer: der deutsche Text gilt auch dort."),
    )
    payout_need_months = models.PositiveSmallIntegerField(
        _("Mittelabruf für Bedarf der nächsten Monate"), default=2
    )
    eligible_applicant_kinds = models.JSONField(
        _("Antragsberechtigt"),
        default=list,
        help_text=_("Liste der zugelassenen Arten von Antragstellenden."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_address(self) -> str:
        """Where applicants write about this programme: its own mailbox, else the funder's."""
        return self.contact_email or self.funding_body.email

    def public_name(self) -> str:
        return _in_language(self.name, self.name_en)

    @property
    def public_description(self) -> str:
        return _in_language(self.description, self.description_en)

    def clean(self) -> None:
        unknown = set(self.eligible_applicant_kinds) - set(ApplicantKind.values)
        if unknown:
            raise ValidationError(
                {"eligible_applicant_kinds": _("Unbekannte Arten: %s") % ", ".join(sorted(unknown))}
            )

    def legal_remedy_in(self, language: str) -> str:
        """The configured legal remedy in ``language``; German where no translation is kept."""
        if language.startswith("en") and self.legal_remedy_en.strip():
            return self.legal_remedy_en
        return self.legal_remedy

    def financing_type_for(self, amount: Decimal, own_share_percent: Decimal) -> str:
        """The financing type the programme's rules suggest for a grant of ``amount``."""
        for rule in self.financing_type_rules.all():
            if rule.applies(amount, own_share_percent):
                return rule.financing_type
        return FinancingType.PROPORTIONAL


class FinancingTypeRule(models.Model):
    """Which financing type a grant gets by amount (and own share); first matching rule wins."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="financing_type_rules",
        verbose_name=_("Förderprogramm"),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    amount_up_to = models.DecimalField(
        _("bis Betrag"), **MONEY, null=True, blank=True, help_text=_("leer = ohne Obergrenze")
    )
    min_own_share_percent = models.DecimalField(
        _("nur bei Eigenanteil ab %"), **PERCENT, null=True, blank=True
    )
    financing_type = models.CharField(
        _("Finanzierungsart"), max_length=20, choices=FinancingType.choices
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Regel zur Finanzierungsart")
        verbose_name_plural = _("Regeln zur Finanzierungsart")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="financing_rule_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} #{self.position}: {self.get_financing_type_display()}"

    def applies(self, amount: Decimal, own_share_percent: Decimal) -> bool:
        if self.amount_up_to is not None and amount > self.amount_up_to:
            return False
        return self.min_own_share_percent is None or own_share_percent >= self.min_own_share_percent


class ProgrammeItem(models.Model):
    """A named entry of a programme's configuration list."""

    code = models.CharField(_("Schlüssel"), max_length=20)
    name = models.CharField(_("Bezeichnung"), max_length=200)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        abstract = True
        ordering = ["programme", "position", "name"]

    def __str__(self) -> str:
        return self.name


def _unique_code(name: str) -> list[models.BaseConstraint]:
    return [models.UniqueConstraint(fields=["programme", "code"], name=f"{name}_code_unique")]


class FundingArea(ProgrammeItem):
    """Förderbereich, e.g. Großprojekte / Kleinprojekte of WIR 2.0."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="funding_areas",
        verbose_name=_("Förderprogramm"),
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Förderbereich")
        verbose_name_plural = _("Förderbereiche")
        constraints = _unique_code("funding_area")


class FieldOfAction(ProgrammeItem):
    """Handlungsfeld or subject area of a programme."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="fields_of_action",
        verbose_name=_("Förderprogramm"),
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        constraints = _unique_code("field_of_action")


class Area(ProgrammeItem):
    """Where projects take place: a Stadtbezirk or a town of the Region."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="areas", verbose_name=_("Förderprogramm")
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Gebiet")
        verbose_name_plural = _("Gebiete")
        constraints = _unique_code("area")


class TargetGroup(ProgrammeItem):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="target_groups",
        verbose_name=_("Förderprogramm"),
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")
        constraints = _unique_code("target_group")


class CostCategory(ProgrammeItem):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="cost_categories",
        verbose_name=_("Förderprogramm"),
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Ausgabenart")
        verbose_name_plural = _("Ausgabenarten")
        constraints = _unique_code("cost_category")


class FinancingKind(models.TextChoices):
    OWN_FUNDS = "own_funds", _("Eigenmittel")
    OWN_WORK = "own_work", _("Eigenleistung / Sachleistung (Geldwert)")
    OTHER_PUBLIC = "other_public", _("Andere öffentliche Mittel")
    PRIVATE = "private", _("Stiftungen und Spenden")
    INCOME = "income", _("Teilnahmebeiträge und Einnahmen")
    GRANT = "grant", _("Beantragte Zuwendung")


OWN_SHARE_KINDS = (FinancingKind.OWN_FUNDS, FinancingKind.OWN_WORK)


class FinancingCategory(ProgrammeItem):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="financing_categories",
        verbose_name=_("Förderprogramm"),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=FinancingKind.choices)

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Finanzierungsart im Plan")
        verbose_name_plural = _("Finanzierungsarten im Plan")
        constraints = _unique_code("financing_category")


class DocumentType(ProgrammeItem):
    """A kind of attachment; ``required_for_submission`` ones must be there before submitting."""

    class Stage(models.TextChoices):
        APPLICATION = "application", _("Antrag")
        PROOF_OF_USE = "proof_of_use", _("Verwendungsnachweis")
        CORRESPONDENCE = "correspondence", _("Schriftverkehr")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="document_types",
        verbose_name=_("Förderprogramm"),
    )
    stage = models.CharField(
        _("Verfahrensschritt"), max_length=20, choices=Stage.choices, default=Stage.APPLICATION
    )
    required_for_submission = models.BooleanField(_("Pflicht bei Einreichung"), default=False)

    class Meta(ProgrammeItem.Meta):
        verbose_name = _("Dokumentart")
        verbose_name_plural = _("Dokumentarten")
        constraints = _unique_code("document_type")


class StaffRole(models.Model):
    """Which programmes a staff member works on, and as what."""

    class Role(models.TextChoices):
        CASE_WORKER = "case_worker", _("Sachbearbeitung")
        FINANCE = "finance", _("Finanzbuchhaltung")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("Person"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("Förderprogramm"),
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Zuständigkeit")
        verbose_name_plural = _("Zuständigkeiten")
        constraints = [
            models.UniqueConstraint(fields=["user", "programme", "role"], name="staff_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.programme.code} – {self.get_role_display()}"


def staff_roles(user: User | None) -> frozenset[tuple[int, str]]:
    """The person's (programme id, role) pairs. Within a request they are read once: the
    middleware ``grants.permissions.StaffRolesMiddleware`` lets the user object keep them, so
    the many permission checks of one page ask the database once. Outside a request (commands,
    tests calling services) every call reads them afresh."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_staff_roles", None)
    if cached is not None:
        return cached
    roles = frozenset(StaffRole.objects.filter(user=user).values_list("programme_id", "role"))
    if getattr(user, "_keep_staff_roles", False):
        user._staff_roles = roles
    return roles


def has_programme_role(user: User | None, programme_id: int, role: str) -> bool:
    return (programme_id, role) in staff_roles(user)


class Call(models.Model):
    """Förderaufruf: a window in which applications to a programme are accepted."""

    class DecisionTrack(models.TextChoices):
        BY_AMOUNT = "by_amount", _("nach Betragsgrenze des Programms")
        ADMINISTRATION = "administration", _("Verwaltung entscheidet (niedrigschwellig)")
        COMMITTEE = "committee", _("Gremium / Jury entscheidet")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="calls", verbose_name=_("Förderprogramm")
    )
    funding_area = models.ForeignKey(
        FundingArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("Förderbereich"),
    )
    title = models.CharField(_("Titel"), max_length=200)
    theme = models.TextField(_("Thema"), blank=True, help_text=_("Öffentlich."))
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    theme_en = models.TextField(_("Thema (englisch)"), blank=True)
    internal_notes = models.TextField(
        _("Interne Hinweise"),
        blank=True,
        help_text=_("Nur für die Verwaltung, nie für Antragstellende sichtbar."),
    )
    opens_at = models.DateTimeField(_("Beginn"))
    deadline = models.DateTimeField(_("Einsendeschluss"))
    max_amount_per_application = models.DecimalField(
        _("Höchstbetrag je Antrag in diesem Aufruf"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("leer = Höchstbetrag des Programms"),
    )
    decision_track = models.CharField(
        _("Entscheidungsweg"),
        max_length=20,
        choices=DecisionTrack.choices,
        default=DecisionTrack.BY_AMOUNT,
    )
    deciding_body = models.CharField(_("Entscheidungsgremium"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Förderaufruf")
        verbose_name_plural = _("Förderaufrufe")
        ordering = ["-deadline"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=F("opens_at")), name="call_deadline_after_opening"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.title}"

    @property
    def public_title(self) -> str:
        return _in_language(self.title, self.title_en)

    @property
    def public_theme(self) -> str:
        return _in_language(self.theme, self.theme_en)

    def is_open(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at <= self.deadline

    @property
    def cap(self) -> Decimal:
        if self.max_amount_per_application is not None:
            return min(self.max_amount_per_application, self.programme.max_amount_per_application)
        return self.programme.max_amount_per_application
