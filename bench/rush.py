"""The deadline rush of ``bench/load.py --mode rush``: many applicants save their plan, upload
an attachment and submit against one call within the same minutes.

Each applicant has an own account and draft (made beforehand, not timed) and runs in its own
thread with its own database connection, through the services the pages call (the pages' own
cost is measured by pages mode). At most ``--connections`` applicants act at once, as that many
web workers would. Afterwards it checks that file numbers are unique and gap-free, that every
submission wrote its mail to the outbox, and that every budget still matches its ledger.
"""

from __future__ import annotations

import datetime as dt
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20)[18]


def rush_mode(args) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from applicants.models import Applicant, ApplicantKind, Membership, User
    from bench.load import build
    from grants.models import (
        Application,
        Call,
        CostCategory,
        DocumentType,
        FileNumberSequence,
        FinancingCategory,
        FinancingKind,
        Submission,
    )
    from grants.services.applications import (
        PlanLine,
        application_replace_plan,
        application_submit,
        attachment_add,
    )
    from notifications.models import Message

    build(args)
    call = Call.objects.filter(deadline__gte=timezone.now()).order_by("pk").first() or (
        Call.objects.order_by("pk").first()
    )
    programme = call.programme
    cost = CostCategory.objects.filter(programme=programme).order_by("pk").first()
    financing = {c.kind: c for c in FinancingCategory.objects.filter(programme=programme)}
    document_type, _created = DocumentType.objects.get_or_create(
        programme=programme, code="beschreibung", defaults={"name": "Projektbeschreibung"}
    )
    today = timezone.localdate()
    password = make_password("rush-Passwort-2026")
    stamp = int(time.time())
    # Each project takes place in the programme's first area, as the submission requires.
    area = programme.areas.order_by("pk").first()
    drafts = []
    for i in range(args.applicants):
        user = User.objects.create(
            email=f"rush{stamp}-{i}@bench.example", password=password, is_active=True
        )
        applicant = Applicant.objects.create(
            kind=ApplicantKind.choices[0][0],
            name=f"Rush-Verein {stamp}-{i} e. V.",
            street="Hauptstraße 1",
            postal_code="10115",
            city="Berlin",
            email=user.email,
            contact_name="Kontakt",
            contact_email=user.email,
            account_holder="Verein",
            iban="DE02120300000000202051",
        )
        Membership.objects.create(user=user, applicant=applicant, role=Membership.Role.OWNER)
        drafts.append(
            (
                user,
                Application.objects.create(
                    programme=programme,
                    call=call,
                    applicant=applicant,
                    created_by=user,
                    title=f"Projekt {i}",
                    summary="Kurzbeschreibung des Projekts.",
                    goals="Ziele des Projekts.",
                    start_date=today + dt.timedelta(days=60),
                    end_date=today + dt.timedelta(days=240),
                    expected_participants=30,
                ),
            )
        )
    if area is not None:
        Application.areas.through.objects.bulk_create(
            Application.areas.through(application_id=app.pk, area_id=area.pk) for _u, app in drafts
        )
    year = timezone.localdate().year
    sequence = FileNumberSequence.objects.filter(programme=programme, year=year).first()
    first_number = sequence.last_number if sequence else 0
    messages_before = Message.objects.count()
    timings: dict[str, list[float]] = {"plan": [], "upload": [], "submit": []}
    errors: list[str] = []
    lock = threading.Lock()

    def applicant_rush(item) -> None:
        user, app = item
        try:
            steps = [
                (
                    "plan",
                    lambda: application_replace_plan(
                        application=app,
                        actor=user,
                        costs=[PlanLine(cost.pk, "Honorare", Decimal("9000.00"))],
                        financing=[
                            PlanLine(
                                financing[FinancingKind.OWN_FUNDS].pk,
                                "Eigenmittel",
                                Decimal("1800"),
                            ),
                            PlanLine(
                                financing[FinancingKind.GRANT].pk, "Zuwendung", Decimal("7200")
                            ),
                        ],
                    ),
                ),
                (
                    "upload",
                    lambda: attachment_add(
                        application=app,
                        actor=user,
                        document_type=document_type,
                        upload=SimpleUploadedFile("beschreibung.pdf", PDF, "application/pdf"),
                    ),
                ),
                ("submit", lambda: application_submit(application=app, actor=user)),
            ]
            for name, step in steps:
                started = time.perf_counter()
                step()
                with lock:
                    timings[name].append((time.perf_counter() - started) * 1000)
        except Exception as exc:  # counted and shown: the rush must show every error
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.connections) as pool:
        list(pool.map(applicant_rush, drafts))
    elapsed = time.perf_counter() - started
    numbers = sorted(
        int(n.rsplit("-", 1)[1])
        for n in Application.objects.filter(pk__in=[a.pk for _u, a in drafts])
        .exclude(file_number=None)
        .values_list("file_number", flat=True)
    )
    expected = list(range(first_number + 1, first_number + len(numbers) + 1))
    mails = Message.objects.count() - messages_before
    # The submissions' PDFs are made by the worker after the rush (not running here): each
    # must have its task waiting, so that none is lost.
    submitted = Submission.objects.filter(application__in=[a.pk for _u, a in drafts])
    pdf_tasks = DBTaskResult.objects.filter(
        task_path="grants.tasks.make_submission_pdf",
        args_kwargs__kwargs__submission_id__in=list(submitted.values_list("pk", flat=True)),
    ).count()
    call_command("reconcile_budgets", verbosity=0)
    print(
        f"\nrush: {args.applicants} applicants, {args.connections} at once, one call "
        f"({call.title}); {elapsed:.1f} s\n"
        f"completed submissions: {len(timings['submit'])} "
        f"({len(timings['submit']) / elapsed:.1f}/s), errors: {len(errors)}\n"
        + "\n".join(
            f"  {step}: p50 {statistics.median(values):.0f} ms, p95 {_p95(values):.0f} ms"
            for step, values in timings.items()
            if values
        )
        + f"\nfile numbers unique and gap-free: {numbers == expected} "
        f"({numbers[0] if numbers else '-'}..{numbers[-1] if numbers else '-'})\n"
        f"mails written to the outbox: {mails} for {len(numbers)} submissions\n"
        f"PDF tasks waiting for the worker: {pdf_tasks} for {submitted.count()} submissions\n"
        f"budgets match their ledgers: yes (reconcile_budgets)"
    )
    for error in errors[:5]:
        print("  error:", error)
