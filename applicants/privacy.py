"""The applicant's rights under the DSGVO, self-service: a copy of all data of the account and
its organisations (Art. 15, 20) and deleting the account (Art. 17).

Deleting anonymises with the retention job's functions (privacy.retention), so there is one way
to remove personal data. Files under a retention duty stay until their period ends; the job
then anonymises them and the organisation.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from applicants.models import Applicant, Membership, User
from grants.errors import RuleViolated
from grants.models import APPLICANT_LABELS, Application, ApplicationState, StaffRole, StatusChange
from notifications.models import Message
from privacy.models import AnonymisationRecord
from privacy.retention import (
    FINISHED_STATES,
    applicant_anonymise,
    application_anonymise,
    not_anonymised,
    retention_end,
    user_anonymise,
)

S = ApplicationState
# Files in a ZIP are read from storage in chunks; the ZIP itself spills to disk past this.
SPOOL_BYTES = 16 * 1024 * 1024


def _plain_fields(obj: models.Model, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every field of ``obj`` that is not a relation (relations name other people)."""
    return {
        field.name: field.value_from_object(obj)
        for field in obj._meta.concrete_fields
        if not field.is_relation and not isinstance(field, models.FileField)
        if field.name not in exclude
    }


class _Zip:
    def __init__(self, target: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED)

    def add_file(self, folder: str, pk: int, name: str, field: models.FieldFile) -> str:
        path = f"dateien/{folder}/{pk}-{get_valid_filename(name) or 'datei'}"
        with field.open("rb") as source, self.zip.open(path, "w") as target:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                target.write(chunk)
        return path


def _application_data(application: Application, archive: _Zip, user_id: int) -> dict[str, Any]:
    folder = f"antraege/{application.file_number or application.pk}"
    return {
        **_plain_fields(application, exclude=("state",)),
        "state": str(APPLICANT_LABELS[application.state]),
        "cost_lines": [
            {"category": line.category.name, **_plain_fields(line)}
            for line in application.cost_lines.select_related("category")
        ],
        "financing_lines": [
            {"category": line.category.name, **_plain_fields(line)}
            for line in application.financing_lines.select_related("category")
        ],
        "receipts": [_plain_fields(receipt) for receipt in application.receipts.all()],
        "attachments": [
            {
                **_plain_fields(attachment),
                "file": archive.add_file(
                    folder, attachment.pk, attachment.original_name, attachment.file
                ),
            }
            for attachment in application.attachments.all()
        ],
        "letters": [
            {
                **_plain_fields(letter, exclude=("sha256",)),
                "file": archive.add_file(folder, letter.pk, letter.filename, letter.file),
            }
            for letter in application.letters.all()
        ],
        "messages": _messages(application, archive, folder, user_id),
        # When the application reached which state; who acted and staff notes are the
        # funder's internal records.
        "history": [
            {"at": change.created_at, "state": str(APPLICANT_LABELS[change.target_state])}
            for change in application.status_changes.filter(
                lifecycle=StatusChange.Lifecycle.APPLICATION
            ).order_by("created_at", "pk")
        ],
    }


def _messages(
    application: Application, archive: _Zip, folder: str, user_id: int
) -> list[dict[str, Any]]:
    """The message thread: which side wrote, whether it was this account, when, the text, the
    item of a Nachforderung it answers, the files. Other people's names are left out, as with
    every relation here."""
    messages = application.thread_messages.select_related("answered_item").prefetch_related(
        "attachments"
    )
    rows = []
    for message in messages:
        item = getattr(message, "answered_item", None)
        rows.append(
            {
                "written_at": message.created_at,
                "from": _("Förderstelle") if message.from_staff else _("Antragsteller*in"),
                "written_by_you": message.author_id == user_id,
                "body": message.body,
                "answers_item": item.text if item else None,
                "attachments": [
                    {
                        "name": attachment.original_name,
                        "content_type": attachment.content_type,
                        "size": attachment.size,
                        "file": archive.add_file(
                            f"{folder}/nachrichten",
                            attachment.pk,
                            attachment.original_name,
                            attachment.file,
                        ),
                    }
                    for attachment in message.attachments.all()
                ],
            }
        )
    return rows


def _applicant_data(membership: Membership, archive: _Zip) -> dict[str, Any]:
    applicant = membership.applicant
    return {
        **_plain_fields(applicant),
        "your_role": membership.role,
        "standard_documents": [
            {
                **_plain_fields(document),
                "file": archive.add_file(
                    f"organisationen/{applicant.pk}",
                    document.pk,
                    document.original_name,
                    document.file,
                ),
            }
            for document in applicant.standard_documents.all()
        ],
        "applications": [
            _application_data(application, archive, membership.user_id)
            for application in applicant.applications.order_by("pk")
        ],
    }


def account_export(*, user: User) -> IO[bytes]:
    """A ZIP with ``daten.json`` (the account, its organisations with their applications, the
    mails sent to the account) and every file they hold; the file is positioned at its start."""
    # Closed by the FileResponse that sends it.
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    archive = _Zip(target)
    data = {
        "exported_at": timezone.now(),
        "account": _plain_fields(
            user, exclude=("password", "is_superuser", "is_staff", "is_active")
        ),
        "organisations": [
            _applicant_data(membership, archive)
            for membership in user.memberships.select_related("applicant").order_by("pk")
        ],
        "mails": [
            _plain_fields(message, exclude=("claim_token", "claimed_at", "attachments"))
            for message in Message.objects.filter(user=user).order_by("created_at")
        ],
    }
    archive.zip.writestr(
        "daten.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    )
    archive.zip.close()
    target.seek(0)
    return target


# --- deleting the account ----------------------------------------------------------------------


@dataclass(frozen=True)
class RetainedFile:
    file_number: str
    until: dt.date | None


@dataclass(frozen=True)
class DeletionCheck:
    refusals: list[str]
    # Files of organisations that only this account acts for, kept under a retention duty.
    retained: list[RetainedFile]


def _sole_applicants(user: User) -> list[Applicant]:
    return [
        membership.applicant
        for membership in user.memberships.select_related("applicant")
        if not Membership.objects.filter(applicant=membership.applicant_id)
        .exclude(user=user)
        .exists()
    ]


def _live(applications: models.QuerySet[Application]) -> models.QuerySet[Application]:
    return not_anonymised(applications, "application")


def account_deletion_check(user: User) -> DeletionCheck:
    if user.is_staff or StaffRole.objects.filter(user=user).exists():
        return DeletionCheck(
            [_("Konten von Beschäftigten der Förderstelle werden von der Förderstelle verwaltet.")],
            [],
        )
    refusals, retained = [], []
    for applicant in _sole_applicants(user):
        applications = _live(applicant.applications.order_by("file_number"))
        open_numbers = [
            application.file_number
            for application in applications.exclude(state__in=(*FINISHED_STATES, S.DRAFT))
        ]
        if open_numbers:
            refusals.append(
                _(
                    "Für „%(name)s“ laufen noch Förderverfahren (%(numbers)s). Solange sie laufen, "
                    "braucht die Förderstelle eine Ansprechperson. Bitte laden Sie zuerst eine "
                    "weitere Person in die Organisation ein oder warten Sie den Abschluss ab."
                )
                % {"name": applicant.name, "numbers": ", ".join(open_numbers)}
            )
        retained += [
            RetainedFile(application.file_number, retention_end(application))
            for application in applications.filter(state__in=FINISHED_STATES)
        ]
    return DeletionCheck(refusals, retained)


@transaction.atomic
def account_delete(*, user: User) -> DeletionCheck:
    """Anonymises the account, the drafts and the organisations that only it acts for; refused
    with the reasons of :func:`account_deletion_check`."""
    user = User.objects.select_for_update().get(pk=user.pk)
    check = account_deletion_check(user)
    if check.refusals:
        raise RuleViolated(check.refusals)
    sole = _sole_applicants(user)
    for applicant in sole:
        for draft in _live(applicant.applications.filter(state=S.DRAFT)):
            application_anonymise(
                application=draft, record_class=AnonymisationRecord.RecordClass.DRAFT
            )
    user_anonymise(user=user, record_class=AnonymisationRecord.RecordClass.DELETED_ACCOUNT)
    for applicant in sole:
        if not _live(applicant.applications.all()).exists():
            applicant_anonymise(applicant=applicant)
    return check
