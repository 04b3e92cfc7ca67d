"""Recording that staff opened a document of a case (the file's history shows it)."""

from __future__ import annotations

import logging

from django.db import transaction

from applicants.models import User
from grants.models import Application, DocumentOpening
from grants.selectors.documents import Document

logger = logging.getLogger(__name__)


@transaction.atomic
def document_opening_create(
    *, application: Application, actor: User, document: Document, inline: bool
) -> DocumentOpening:
    opening = DocumentOpening.objects.create(
        application=application,
        actor=actor,
        kind=document.kind,
        document_id=document.pk,
        file_name=document.name[:255],
        inline=inline,
    )
    logger.info(
        "document opened",
        extra={
            "application_id": application.pk,
            "actor_id": actor.pk,
            "document_kind": document.kind,
            "document_id": document.pk,
            "inline": inline,
        },
    )
    return opening
