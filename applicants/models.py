import datetime as dt
import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from applicants.validators import normalise_iban, validate_bic, validate_iban


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in: a member of an applicant, a case worker, finance staff."""

    class Language(models.TextChoices):
        GERMAN = "de", "Deutsch"
        ENGLISH = "en", "English"

    username = None
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    language = models.CharField(
        _("Sprache"), max_length=5, choices=Language.choices, default=Language.GERMAN
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("Benutzer*in")
        verbose_name_plural = _("Benutzer*innen")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} <{self.email}>" if full else self.email


class ApplicantKind(models.TextChoices):
    ASSOCIATION = "association", _("Verein")
    MIGRANT_ORGANISATION = "migrant_organisation", _("Migrant*innenorganisation")
    FEDERATION = "federation", _("Verband")
    COLLECTIVE = "collective", _("Initiative oder Kollektiv")
    PARISH = "parish", _("Kirchengemeinde")
    SCHOOL_OPERATOR = "school_operator", _("Schulträger")
    DAYCARE_OPERATOR = "daycare_operator", _("Kita-Träger")
    MUNICIPALITY = "municipality", _("Stadt oder Gemeinde")
    CHARITY = "charity", _("Wohlfahrtsverband")
    INDIVIDUAL = "individual", _("Einzelperson")


class Applicant(models.Model):
    """Who applies for a grant: an organisation or an individual person (Antragsteller*in)."""

    kind = models.CharField(_("Art"), max_length=32, choices=ApplicantKind.choices)
    name = models.CharField(
        _("Name"), max_length=200, help_text=_("Name der Organisation oder der Person")
    )
    legal_form = models.CharField(_("Rechtsform"), max_length=100, blank=True)
    register_court = models.CharField(_("Registergericht"), max_length=100, blank=True)
    register_number = models.CharField(_("Registernummer"), max_length=50, blank=True)
    tax_exemption_office = models.CharField(_("Finanzamt"), max_length=100, blank=True)
    tax_exemption_date = models.DateField(
        _("Datum des Freistellungsbescheids"), null=True, blank=True
    )

    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postal_code = models.CharField(_("Postleitzahl"), max_length=10)
    city = models.CharField(_("Ort"), max_length=100)
    email = models.EmailField(_("E-Mail-Adresse"))
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)

    contact_name = models.CharField(_("Ansprechperson"), max_length=200)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"))
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=50, blank=True)

    account_holder = models.CharField(_("Kontoinhaber*in"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    creditor_number = models.CharField(
        _("Kreditorennummer"),
        max_length=20,
        blank=True,
        help_text=_("Wird von der Finanzbuchhaltung vergeben."),
    )

    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    # Who changed the bank details (and the organisation's name and legal data), what and
    # when. Addresses and contact persons are left out: the history keeps no more personal
    # data than it needs, and the anonymisation job blanks the bank details in it too.
    history = HistoricalRecords(
        excluded_fields=[
            "street",
            "postal_code",
            "city",
            "email",
            "phone",
            "contact_name",
            "contact_email",
            "contact_phone",
            "created_at",
        ]
    )

    class Meta:
        verbose_name = _("Antragsteller*in")
        verbose_name_plural = _("Antragsteller*innen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.iban:
            self.iban = normalise_iban(self.iban)
        if self.bic:
            self.bic = self.bic.replace(" ", "").upper()

    @property
    def is_individual(self) -> bool:
        return self.kind == ApplicantKind.INDIVIDUAL

    @property
    def postal_address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


class Membership(models.Model):
    """A user acting for an applicant; owners may invite and remove colleagues."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Verantwortlich")
        MEMBER = "member", _("Mitglied")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(fields=["user", "applicant"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.applicant}"


def standard_document_path(instance: "StandardDocument", filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    return f"applicants/{instance.applicant_id}/{uuid.uuid4().hex}"


class StandardDocument(models.Model):
    """A document that every application of the applicant relies on (statutes, register
    extract, tax-exemption notice), uploaded once and kept with its validity date."""

    class Kind(models.TextChoices):
        STATUTES = "statutes", _("Satzung")
        REGISTER_EXTRACT = "register_extract", _("Auszug aus dem Vereinsregister")
        TAX_EXEMPTION = "tax_exemption", _("Freistellungsbescheid des Finanzamts")
        OTHER = "other", _("Sonstiges Dokument")

    applicant = models.ForeignKey(
        Applicant, on_delete=models.CASCADE, related_name="standard_documents"
    )
    kind = models.CharField(_("Art des Dokuments"), max_length=32, choices=Kind.choices)
    file = models.FileField(_("Datei"), upload_to=standard_document_path)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    valid_until = models.DateField(
        _("gültig bis"),
        null=True,
        blank=True,
        help_text=_("Leer lassen, wenn das Dokument nicht abläuft (zum Beispiel eine Satzung)."),
    )
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Standarddokument")
        verbose_name_plural = _("Standarddokumente")
        ordering = ["kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    def expires_within(self, days: int, today: dt.date | None = None) -> bool:
        if self.valid_until is None:
            return False
        today = today or timezone.localdate()
        return self.valid_until <= today + dt.timedelta(days=days)

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()


class Invitation(models.Model):
    """An owner asks someone by e-mail to act for the applicant too. Only a hash of the
    token is stored, so a leaked database does not let anyone join an organisation."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("E-Mail-Adresse"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("eingeladen am"), default=timezone.now)
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("zurückgenommen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "applicant",
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.applicant}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.cancelled_at is None
            and self.expires_at > timezone.now()
        )
