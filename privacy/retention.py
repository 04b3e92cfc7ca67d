"""Retention periods and the anonymisation job (DSGVO Art. 5(1)(e), Art. 17).

Each record class has a period in settings (RETENTION_*; defaults and legal basis in
docs/privacy.md). When it has passed, :func:`anonymise_expired` replaces the personal data of
the record and keeps what budget law and the audit need: file numbers, amounts, dates, states,
decisions (outcome, amount, period), payouts and the audit trail's rows (who acted stays as a
user id; the free text of the step is replaced).

Idempotent: an ``AnonymisationRecord`` per record is written in the same transaction as the
change, and records that have one are never selected again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from applicants.models import (
    Applicant,
    ApplicantKind,
    Invitation,
    Membership,
    StandardDocument,
    User,
)
from grants.models import (
    Application,
    ApplicationState,
    Assessment,
    AssignmentChange,
    Attachment,
    ChangeRequest,
    ChecklistAnswer,
    CostLine,
    CriterionScore,
    Decision,
    DomainEvent,
    FinancingLine,
    InternalNote,
    Letter,
    ProofCheck,
    ProofCheckLine,
    Receipt,
    RepaymentClaim,
    StaffRole,
    StatusChange,
)
from notifications.models import BouncedAddress, Message
from operations.models import JobRun
from privacy.models import AnonymisationRecord

logger = logging.getLogger(__name__)

MARK = "[anonymisiert]"
RecordClass = AnonymisationRecord.RecordClass
S = ApplicationState

# States in which nothing more happens to an application; everything else is an open case.
FINISHED_STATES = (S.REJECTED, S.WITHDRAWN, S.CLOSED)
# Data keys of audit records that hold free text (the list of missing items); the others are
# ids, amounts, dates and committee names.
FREE_TEXT_KEYS = ("items",)


def years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def not_anonymised(queryset: QuerySet, model: str) -> QuerySet:
    done = AnonymisationRecord.objects.filter(model=model, object_id=OuterRef("pk"))
    return queryset.exclude(Exists(done))


def _finished_before(state: str, cutoff: dt.datetime) -> QuerySet[Application]:
    """Applications in ``state`` that reached it before ``cutoff`` (by the audit trail)."""
    reached = StatusChange.objects.filter(
        application=OuterRef("pk"),
        lifecycle=StatusChange.Lifecycle.APPLICATION,
        target_state=state,
        created_at__lt=cutoff,
    )
    return Application.objects.filter(state=state).filter(Exists(reached))


RETENTION_YEARS_SETTING = {
    S.REJECTED: "RETENTION_REJECTED_YEARS",
    S.WITHDRAWN: "RETENTION_WITHDRAWN_YEARS",
    S.CLOSED: "RETENTION_CLOSED_YEARS",
}


def retention_end(application: Application) -> dt.date | None:
    """The day from which a finished application will be anonymised (None: not finished)."""
    setting = RETENTION_YEARS_SETTING.get(application.state)
    if setting is None:
        return None
    reached = (
        StatusChange.objects.filter(
            application=application,
            lifecycle=StatusChange.Lifecycle.APPLICATION,
            target_state=application.state,
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if reached is None:
        return None
    day = timezone.localdate(reached)
    return years_before(day, -getattr(settings, setting)) + dt.timedelta(days=1)


def expired_applications(today: dt.date) -> dict[str, QuerySet[Application]]:
    """The applications whose retention period has passed, by record class."""
    cutoffs = {
        RecordClass.REJECTED: settings.RETENTION_REJECTED_YEARS,
        RecordClass.WITHDRAWN: settings.RETENTION_WITHDRAWN_YEARS,
        RecordClass.CLOSED: settings.RETENTION_CLOSED_YEARS,
    }
    states = {
        RecordClass.REJECTED: S.REJECTED,
        RecordClass.WITHDRAWN: S.WITHDRAWN,
        RecordClass.CLOSED: S.CLOSED,
    }
    classes = {
        record_class: _finished_before(states[record_class], _start_of(years_before(today, years)))
        for record_class, years in cutoffs.items()
    }
    classes[RecordClass.DRAFT] = Application.objects.filter(
        state=S.DRAFT,
        created_at__lt=_start_of(years_before(today, settings.RETENTION_DRAFT_YEARS)),
    )
    return {
        record_class: not_anonymised(queryset, "application").order_by("pk")
        for record_class, queryset in classes.items()
    }


def _live_applications() -> QuerySet[Application]:
    return not_anonymised(Application.objects.all(), "application")


def expired_accounts(today: dt.date) -> QuerySet[User]:
    """Applicant accounts unused for the period whose organisations have no application left
    that is not anonymised. Staff accounts are managed by the funder, not by this job."""
    cutoff = _start_of(years_before(today, settings.RETENTION_INACTIVE_ACCOUNT_YEARS))
    live = _live_applications().filter(applicant__memberships__user=OuterRef("pk"))
    created = _live_applications().filter(created_by=OuterRef("pk"))
    users = (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(Exists(StaffRole.objects.filter(user=OuterRef("pk"))))
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .exclude(Exists(live))
        .exclude(Exists(created))
    )
    return not_anonymised(users, "user").order_by("pk")


def orphaned_applicants() -> QuerySet[Applicant]:
    """Applicants nobody acts for any more and with no application left to keep."""
    live = _live_applications().filter(applicant=OuterRef("pk"))
    applicants = Applicant.objects.exclude(
        Exists(Membership.objects.filter(applicant=OuterRef("pk")))
    ).exclude(Exists(live))
    return not_anonymised(applicants, "applicant").order_by("pk")


# --- anonymising one record -----------------------------------------------------------------


def _delete_files(queryset: QuerySet) -> None:
    for row in queryset:
        if row.file:
            default_storage.delete(row.file.name)
    queryset.delete()


def _placeholder_address() -> Concat:
    # One per message: the outbox allows one mail per event, kind and address.
    return Concat(Value("anonymisiert-"), Cast("pk", CharField()), Value("@invalid"))


def _redact(data: dict) -> dict:
    return {key: (MARK if key in FREE_TEXT_KEYS else value) for key, value in data.items()}


def _redact_audit_trail(application: Application) -> None:
    """Replaces the free text of the application's audit records; rows, states, times and
    actors stay. In PostgreSQL the append-only trigger lets exactly this through, and only
    while ``foerderportal.anonymising`` is set in this transaction (privacy migration 0002)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('foerderportal.anonymising', 'on', true)")
    for change in StatusChange.objects.filter(application=application):
        StatusChange.objects.filter(pk=change.pk).update(
            reason=MARK if change.reason else "", data=_redact(change.data)
        )
    for event in DomainEvent.objects.filter(application=application):
        DomainEvent.objects.filter(pk=event.pk).update(payload=_redact(event.payload))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('foerderportal.anonymising', 'off', true)")


def _record(
    record_class: str, obj, job_run: JobRun | None, reference: str = ""
) -> AnonymisationRecord:
    model = obj._meta.model_name
    logger.info(
        "anonymised",
        extra={"record_class": record_class, "model": model, "object_id": obj.pk},
    )
    return AnonymisationRecord.objects.create(
        record_class=record_class,
        model=model,
        object_id=obj.pk,
        reference=reference,
        job_run=job_run,
    )


@transaction.atomic
def application_anonymise(
    *, application: Application, record_class: str, job_run: JobRun | None = None
) -> None:
    """Removes the personal data of one application: free text, files, receipts' payees,
    mails; keeps file number, amounts, dates, states, decisions and payouts."""
    # A closed file's title names a funded project, which council reports list publicly.
    title = application.title if record_class == RecordClass.CLOSED else MARK
    Application.objects.filter(pk=application.pk).update(
        title=title,
        summary="",
        goals="",
        early_start_reason="",
        proof_report="",
        own_share_justification="",
    )
    CostLine.objects.filter(application=application).update(description=MARK)
    FinancingLine.objects.filter(application=application).update(description="")
    Receipt.objects.filter(application=application).update(payee=MARK, description=MARK)
    _delete_files(Attachment.objects.filter(application=application))
    _delete_files(Letter.objects.filter(application=application))
    Decision.objects.filter(application=application).exclude(reasons="").update(reasons=MARK)
    RepaymentClaim.objects.filter(application=application).update(reason=MARK)
    ChangeRequest.objects.filter(application=application).update(reason=MARK, decision_note="")
    InternalNote.objects.filter(application=application).update(text=MARK)
    AssignmentChange.objects.filter(application=application).exclude(reason="").update(reason=MARK)
    Assessment.objects.filter(application=application).update(summary=MARK)
    ChecklistAnswer.objects.filter(assessment__application=application).update(note="")
    CriterionScore.objects.filter(assessment__application=application).update(note="")
    ProofCheck.objects.filter(application=application).update(findings=MARK)
    ProofCheckLine.objects.filter(check_record__application=application).update(note="")
    Message.objects.filter(application=application).update(
        to=_placeholder_address(),
        user=None,
        subject=MARK,
        body_text="",
        body_html="",
        attachments=[],
    )
    _redact_audit_trail(application)
    _record(record_class, application, job_run, reference=application.file_number or "")


@transaction.atomic
def user_anonymise(*, user: User, record_class: str, job_run: JobRun | None = None) -> None:
    """The account can no longer log in and names nobody; its id stays in the audit trail.
    Open sessions die with it: Django refuses inactive users and a changed password hash."""
    email = user.email
    user.email = f"anonymisiert-{user.pk}@invalid"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
    Membership.objects.filter(user=user).delete()
    BouncedAddress.objects.filter(email__iexact=email).delete()
    Message.objects.filter(user=user).update(
        to=_placeholder_address(), subject=MARK, body_text="", body_html="", attachments=[]
    )
    _record(record_class, user, job_run)


@transaction.atomic
def applicant_anonymise(*, applicant: Applicant, job_run: JobRun | None = None) -> None:
    """Contact persons, addresses, e-mail, phone and bank account go; an organisation's name
    and register entry stay (no personal data, and budget reports name recipients), an
    individual's name goes."""
    individual = applicant.kind == ApplicantKind.INDIVIDUAL
    Applicant.objects.filter(pk=applicant.pk).update(
        name=MARK if individual else applicant.name,
        street=MARK,
        email="anonymisiert@invalid",
        phone="",
        contact_name=MARK,
        contact_email="anonymisiert@invalid",
        contact_phone="",
        account_holder="",
        iban="",
        bic="",
    )
    # The change history of the bank details keeps who changed them and when, not the data.
    history = Applicant.history.filter(id=applicant.pk)
    history.update(account_holder="", iban="", bic="")
    if individual:
        history.update(name=MARK)
    _delete_files(StandardDocument.objects.filter(applicant=applicant))
    # Addresses of people once invited to act for the applicant.
    Invitation.objects.filter(applicant=applicant).delete()
    _record(RecordClass.APPLICANT, applicant, job_run)


# --- the job ---------------------------------------------------------------------------------


@dataclass
class RetentionReport:
    dry_run: bool
    counts: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        prefix = "would anonymise" if self.dry_run else "anonymised"
        parts = [f"{name}: {self.counts[name]}" for name in sorted(self.counts)]
        return f"{prefix} " + (", ".join(parts) if parts else "nothing")


def _each(queryset: QuerySet, dry_run: bool) -> Iterable:
    return [] if dry_run else queryset.iterator()


def anonymise_expired(
    *, dry_run: bool = False, today: dt.date | None = None, job_run: JobRun | None = None
) -> RetentionReport:
    """Anonymises every record past its period; ``dry_run`` only counts them."""
    today = today or timezone.localdate()
    report = RetentionReport(dry_run=dry_run)
    for record_class, applications in expired_applications(today).items():
        report.counts[record_class] = applications.count()
        for application in _each(applications, dry_run):
            application_anonymise(
                application=application, record_class=record_class, job_run=job_run
            )
    accounts = expired_accounts(today)
    report.counts[RecordClass.ACCOUNT] = accounts.count()
    for user in _each(accounts, dry_run):
        user_anonymise(user=user, record_class=RecordClass.ACCOUNT, job_run=job_run)
    applicants = orphaned_applicants()
    report.counts[RecordClass.APPLICANT] = applicants.count()
    for applicant in _each(applicants, dry_run):
        applicant_anonymise(applicant=applicant, job_run=job_run)
    report.counts["mail_bodies"] = mail_bodies_clear(today=today, dry_run=dry_run)
    logger.info("retention", extra={"dry_run": dry_run, **report.counts})
    return report


def mail_bodies_clear(*, today: dt.date, dry_run: bool) -> int:
    """Mails keep who, what kind and when; their text goes after RETENTION_MAIL_DAYS."""
    cutoff = _start_of(today - dt.timedelta(days=settings.RETENTION_MAIL_DAYS))
    old = Message.objects.filter(created_at__lt=cutoff).exclude(
        state__in=[Message.State.READY, Message.State.SENDING]
    )
    old = old.exclude(body_text="", body_html="", attachments=[])
    if dry_run:
        return old.count()
    return old.update(body_text="", body_html="", attachments=[])
