"""Use cases of accounts and applicant profiles, one function each, each one transaction.

Refusals are raised as ``grants.errors`` (``NotPermitted`` → 403/404, ``RuleViolated`` with a
German message for the form); nothing is changed when a function raises.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from applicants import selectors
from applicants.models import Applicant, Invitation, Membership, StandardDocument, User
from applicants.tokens import email_verification_token
from applicants.uploads import check_upload
from grants.errors import NotPermitted, RuleViolated
from grants.services.payouts import bank_details_of, payouts_follow_bank_details
from notifications.models import Kind
from notifications.services import message_create, notify_invitation, recipient_for_user

INVITATION_VALID_DAYS = 14

# Master data an owner may change; creditor number and the like are the funder's business.
PROFILE_FIELDS = (
    "kind",
    "name",
    "legal_form",
    "register_court",
    "register_number",
    "tax_exemption_office",
    "tax_exemption_date",
    "street",
    "postal_code",
    "city",
    "email",
    "phone",
    "contact_name",
    "contact_email",
    "contact_phone",
    "account_holder",
    "iban",
    "bic",
)


def _send(*, kind: str, user: User, context: dict[str, Any]) -> None:
    """A mail about the account itself, written to the outbox like every other mail, so that
    a provider outage delays it instead of losing it or failing the request."""
    message_create(kind=kind, recipient=recipient_for_user(user), context=context)


def _base(base_url: str) -> str:
    return base_url.rstrip("/")


# --- accounts -----------------------------------------------------------------------------


@transaction.atomic
def user_register(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    language: str,
    base_url: str,
) -> User | None:
    """Creates an inactive account and mails a confirmation link.

    For an address that already has an account nothing is created; its owner gets a mail
    pointing to the login and password reset instead. The page shown is the same either way,
    so the form does not tell strangers who has an account.
    """
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        # Hash all the same: the answer must take as long as for a new address, or its
        # timing would tell strangers who has an account.
        make_password(password)
        _send(
            kind=Kind.ACCOUNT_EXISTS,
            user=existing,
            context={
                "login_url": _base(base_url) + reverse("login"),
                "reset_url": _base(base_url) + reverse("applicants:password_reset"),
            },
        )
        return None
    user = User(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        language=language,
        is_active=False,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Registered twice at the same moment: the first one wins, this one is a no-op.
        return None
    send_verification(user=user, base_url=base_url)
    return user


def password_reset_mail(*, user: User, reset_url: str) -> None:
    """The link to set a new password, through the outbox (called by the reset form)."""
    _send(kind=Kind.PASSWORD_RESET, user=user, context={"reset_url": reset_url})


def verification_url(user: User, base_url: str) -> str:
    path = reverse(
        "applicants:verify",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_verification_token.make_token(user),
        },
    )
    return _base(base_url) + path


def send_verification(*, user: User, base_url: str) -> None:
    _send(
        kind=Kind.VERIFY_EMAIL,
        user=user,
        context={
            "verify_url": verification_url(user, base_url),
            "valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        },
    )


@transaction.atomic
def user_verify_email(*, uidb64: str, token: str) -> User | None:
    """Activates the account if the link is genuine and unused; ``None`` otherwise."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.select_for_update().filter(pk=pk).first()
    if user is None or user.is_active or not email_verification_token.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_update_account(*, user: User, first_name: str, last_name: str, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise RuleViolated(_("Diese Sprache gibt es nicht."))
    user.first_name, user.last_name, user.language = first_name.strip(), last_name.strip(), language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "language"])
    return user


# --- applicant profile ----------------------------------------------------------------------


def _apply(applicant: Applicant, data: Mapping[str, Any]) -> None:
    for field in PROFILE_FIELDS:
        if field in data:
            value = data[field]
            setattr(applicant, field, value.strip() if isinstance(value, str) else value)
    try:
        applicant.full_clean()
    except ValidationError as exc:
        raise RuleViolated(exc.messages) from exc


@transaction.atomic
def applicant_create(*, actor: User, data: Mapping[str, Any]) -> Applicant:
    """A new organisation or individual profile; whoever creates it is its owner."""
    applicant = Applicant()
    _apply(applicant, data)
    applicant.save()
    Membership.objects.create(user=actor, applicant=applicant, role=Membership.Role.OWNER)
    return applicant


def _require_owner(applicant: Applicant, actor: User) -> None:
    if not selectors.is_owner(actor, applicant):
        raise NotPermitted(_("Nur Verantwortliche der Organisation dürfen das ändern."))


@transaction.atomic
def applicant_update(*, applicant: Applicant, actor: User, data: Mapping[str, Any]) -> Applicant:
    _require_owner(applicant, actor)
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    before = bank_details_of(applicant)
    _apply(applicant, data)
    applicant._history_user = actor  # type: ignore[attr-defined]  # who, for the history
    applicant.save()
    if bank_details_of(applicant) != before:
        # The account a payout pays must be the one two people certified: payouts not yet
        # exported take the new one and go back to certification; the owners are told.
        payouts_follow_bank_details(applicant=applicant, actor=actor, before=before)
    return applicant


@transaction.atomic
def standard_document_add(
    *,
    applicant: Applicant,
    actor: User,
    kind: str,
    upload: UploadedFile,
    valid_until: dt.date | None,
) -> StandardDocument:
    if not Membership.objects.filter(user=actor, applicant=applicant).exists():
        raise NotPermitted(_("Sie handeln nicht für diese Antragsteller*in."))
    try:
        content_type = check_upload(upload)
    except ValidationError as exc:
        raise RuleViolated(exc.messages) from exc
    if valid_until is not None and valid_until < timezone.localdate():
        raise RuleViolated(
            _("Das Dokument ist bereits abgelaufen. Bitte laden Sie ein gültiges hoch.")
        )
    document = StandardDocument(
        applicant=applicant,
        kind=kind,
        file=upload,
        original_name=(upload.name or "dokument")[:255],
        content_type=content_type,
        size=upload.size,
        valid_until=valid_until,
        uploaded_by=actor,
    )
    try:
        document.full_clean(exclude=["file"])
    except ValidationError as exc:
        raise RuleViolated(exc.messages) from exc
    document.save()
    return document


@transaction.atomic
def standard_document_remove(*, document: StandardDocument, actor: User) -> None:
    _require_owner(document.applicant, actor)
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- colleagues -----------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, applicant: Applicant, actor: User, email: str, base_url: str
) -> Invitation:
    """Invites ``email`` to act for ``applicant``; the mail goes out through the outbox."""
    _require_owner(applicant, actor)
    email = email.strip().lower()
    if Membership.objects.filter(applicant=applicant, user__email__iexact=email).exists():
        raise RuleViolated(_("Diese Person gehört bereits zu Ihrer Organisation."))
    if selectors.open_invitations(applicant).filter(email__iexact=email).exists():
        raise RuleViolated(_("Diese Person ist bereits eingeladen."))
    # Expired but never answered invitations make way for the new one.
    applicant.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        applicant=applicant,
        email=email,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_VALID_DAYS),
    )
    notify_invitation(
        email=email,
        applicant=applicant,
        invited_by=actor,
        accept_url=_base(base_url) + reverse("applicants:invitation", kwargs={"token": token}),
        language=actor.language,
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("applicant", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
    )
    if invitation is None or not invitation.is_open:
        raise RuleViolated(
            _("Diese Einladung ist nicht mehr gültig. Bitte lassen Sie sich erneut einladen.")
        )
    if invitation.email.lower() != user.email.lower():
        raise RuleViolated(
            _(
                "Diese Einladung gilt für %(invited)s. Sie sind als %(current)s angemeldet. "
                "Bitte melden Sie sich mit der eingeladenen Adresse an."
            )
            % {"invited": invitation.email, "current": user.email}
        )
    membership, _created = Membership.objects.get_or_create(
        user=user, applicant=invitation.applicant, defaults={"role": Membership.Role.MEMBER}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, actor: User) -> None:
    _require_owner(invitation.applicant, actor)
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        cancelled_at=timezone.now()
    )


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """An owner removes a colleague, or someone leaves; an applicant keeps one owner at least."""
    if membership.user_id != actor.pk:
        _require_owner(membership.applicant, actor)
    owners = Membership.objects.select_for_update().filter(
        applicant_id=membership.applicant_id, role=Membership.Role.OWNER
    )
    if membership.role == Membership.Role.OWNER and owners.exclude(pk=membership.pk).count() == 0:
        raise RuleViolated(_("Die letzte verantwortliche Person kann nicht entfernt werden."))
    Membership.objects.filter(pk=membership.pk).delete()
