"""Who may see and change which applicant profile: the one place that says so.

Members (owners and colleagues) see their applicant; owners alone change master data, the bank
account and the list of colleagues. Anyone else gets a 404, so a URL does not confirm that an
applicant exists.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from applicants.models import Applicant, Invitation, Membership, StandardDocument, User

# Standard documents are flagged this many days before they expire.
EXPIRY_WARNING_DAYS = 60
# Per kind the newest upload first; the id decides between uploads of the same moment.
_NEWEST_FIRST = ("kind", "-uploaded_at", "-id")


def applicants_for_user(user: User) -> QuerySet[Applicant]:
    if not user.is_authenticated:
        return Applicant.objects.none()
    return Applicant.objects.filter(memberships__user=user).order_by("name")


def membership_get(user: User, applicant_pk: int) -> Membership:
    """The user's membership of applicant ``applicant_pk``; 404 for non-members."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("applicant")
        .filter(user=user, applicant_id=applicant_pk)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def is_owner(user: User, applicant: Applicant) -> bool:
    return Membership.objects.filter(
        user=user, applicant=applicant, role=Membership.Role.OWNER
    ).exists()


def standard_document_get(user: User, pk: int) -> StandardDocument:
    document = (
        StandardDocument.objects.filter(pk=pk, applicant__memberships__user=user)
        .select_related("applicant")
        .first()
    )
    if document is None:
        raise Http404
    return document


def expiring_documents(applicant: Applicant) -> list[StandardDocument]:
    """The current documents that expired or expire within the warning period."""
    return [
        document
        for document in current_documents(applicant)
        if document.expires_within(EXPIRY_WARNING_DAYS)
    ]


def expired_standard_documents(applicant: Applicant) -> list[StandardDocument]:
    """The current documents whose validity has already ended (flagged to case workers)."""
    return [document for document in current_documents(applicant) if document.is_expired]


def _documents_newest_first() -> Prefetch:
    return Prefetch(
        "standard_documents",
        queryset=StandardDocument.objects.order_by(*_NEWEST_FIRST),
        to_attr="documents_newest_first",
    )


def with_documents(applicants: QuerySet[Applicant]) -> QuerySet[Applicant]:
    """The applicants with all their standard documents, read in one query for all of them
    (``current_documents`` then asks no more)."""
    return applicants.prefetch_related(_documents_newest_first())


def load_documents(applicant: Applicant) -> None:
    """The same for one applicant already loaded: the case file lists the documents and
    flags the expired ones from one read."""
    prefetch_related_objects([applicant], _documents_newest_first())


def documents_newest_first(applicant: Applicant) -> list[StandardDocument]:
    """All of the applicant's documents, per kind the newest first: as loaded, or read now."""
    documents = getattr(applicant, "documents_newest_first", None)
    if documents is None:
        documents = list(applicant.standard_documents.order_by(*_NEWEST_FIRST))
    return documents


def current_documents(applicant: Applicant) -> list[StandardDocument]:
    """Per kind the newest upload (older ones stay for the record); all "other" documents."""
    seen: set[str] = set()
    current = []
    for document in documents_newest_first(applicant):
        if document.kind != StandardDocument.Kind.OTHER and document.kind in seen:
            continue
        seen.add(document.kind)
        current.append(document)
    return current


def open_invitations(applicant: Applicant) -> QuerySet[Invitation]:
    return applicant.invitations.filter(
        accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
    )
