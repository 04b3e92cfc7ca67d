"""The recovery notice (Rückforderungs- und Widerrufsbescheid) of a repayment claim: made once
after the claim's commit, stored with the application, mailed with the claim."""

from __future__ import annotations

from django.db import transaction

from applicants.models import User
from grants.models import Letter, LetterKind, RepaymentClaim
from grants.services import letters


def recovery_notice_create(*, claim: RepaymentClaim, actor: User | None = None) -> Letter:
    """The notice of ``claim``, made now if it does not exist yet (idempotent): what was sent
    stays what is on file."""
    existing = Letter.objects.filter(claim=claim, kind=LetterKind.RECOVERY).first()
    if existing is not None:
        return existing
    application = claim.application
    language = letters.letter_language(application)
    _subject, pdf = letters.render_recovery_notice(claim, language)
    filename = f"Rueckforderungsbescheid-{application.file_number}-RF{claim.pk}.pdf"
    letter = Letter(
        application=application,
        claim=claim,
        kind=LetterKind.RECOVERY,
        language=language,
        filename=filename,
        created_by=actor if actor is not None else claim.created_by,
    )
    return letters.letter_store(letter, pdf, claim=claim, kind=LetterKind.RECOVERY)


def recovery_notice_after_commit(claim_id: int) -> None:
    """Made after the claim's transaction, so no PDF is rendered while rows are locked."""

    def make() -> None:
        claim = RepaymentClaim.objects.select_related("application").get(pk=claim_id)
        recovery_notice_create(claim=claim)

    transaction.on_commit(make)
