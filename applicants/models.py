from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

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
