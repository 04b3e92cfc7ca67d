"""Fills the database with N applications in the shape of a real programme's history, fast.

Used by ``bench/load.py`` (10,000 to 1,000,000 applications) and by the tests that check that
no page's query count grows with the data (a few dozen). Bulk inserts, bypassing the services
on purpose: what is measured is reading this data, and the services' own cost is measured by
the rush mode of ``bench/load.py``. The figures the services keep (the queue's stored amount
and deadline, file-number counters, committed budgets) are written consistently, so that
``reconcile_queue`` and ``reconcile_budgets`` find nothing to repair (the paid totals are
written by that reconciliation itself).

Shape per 10,000 applications: ~2,500 applicant organisations, each with an owner account;
states spread like a programme's history (a third running or in proof of use, a fifth
closed, a tenth rejected, the rest in the steps before a decision); 4 to 8 plan rows, 2 to 5 status
changes, a decision from approval on, payouts and budget commitments for approved ones, one
small attachment file each.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from applicants.models import Applicant, ApplicantKind, Membership, User
from grants.models import (
    Application,
    ApplicationState,
    Attachment,
    Budget,
    BudgetEntry,
    Call,
    CostCategory,
    CostLine,
    Decision,
    DecisionYearAmount,
    DocumentType,
    FileNumberSequence,
    FinancingCategory,
    FinancingKind,
    FinancingLine,
    Payout,
    Programme,
    StaffRole,
    StatusChange,
)
from grants.services.budgets import paid_totals_reconcile
from grants.services.queue import state_counts_reconcile

S = ApplicationState
PASSWORD = "bench-Passwort-2026"

# (state, weight, path of states before it); weights sum to 100.
STATES = [
    (S.SUBMITTED, 6, [S.DRAFT]),
    (S.CHANGES_REQUESTED, 3, [S.DRAFT, S.SUBMITTED]),
    (S.IN_REVIEW, 8, [S.DRAFT, S.SUBMITTED]),
    (S.DECISION_PROPOSED, 3, [S.DRAFT, S.SUBMITTED, S.IN_REVIEW]),
    (S.APPROVED, 3, [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.DECISION_PROPOSED]),
    (S.REJECTED, 10, [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.DECISION_PROPOSED]),
    (S.WITHDRAWN, 3, [S.DRAFT, S.SUBMITTED]),
    (S.RUNNING, 22, [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.DECISION_PROPOSED, S.APPROVED]),
    (S.PROOF_DUE, 8, [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.RUNNING]),
    (S.PROOF_SUBMITTED, 6, [S.DRAFT, S.SUBMITTED, S.APPROVED, S.RUNNING, S.PROOF_DUE]),
    (S.PROOF_CHANGES_REQUESTED, 2, [S.DRAFT, S.SUBMITTED, S.APPROVED, S.PROOF_SUBMITTED]),
    (S.CLOSED, 20, [S.DRAFT, S.SUBMITTED, S.APPROVED, S.RUNNING, S.PROOF_ACCEPTED]),
    (S.DRAFT, 6, []),
]
DECIDED = {
    S.APPROVED,
    S.RUNNING,
    S.PROOF_DUE,
    S.PROOF_SUBMITTED,
    S.PROOF_CHANGES_REQUESTED,
    S.CLOSED,
}
WORDS = [
    "Sprachcafé",
    "Nachbarschaft",
    "Jugend",
    "Kultur",
    "Werkstatt",
    "Garten",
    "Lesepaten",
    "Integration",
    "Musik",
    "Sport",
    "Beratung",
    "Begegnung",
    "Theater",
    "Digital",
    "Senioren",
    "Familien",
    "Stadtteil",
    "Umwelt",
    "Kunst",
    "Brücke",
]


@dataclass
class Filled:
    applications: int = 0
    applicants: int = 0
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _title(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, 3))


def _bulk(model, objs: list, counts: Filled, batch: int) -> list:
    made = model.objects.bulk_create(objs, batch_size=batch)
    counts.rows[model._meta.db_table] += len(objs)
    return made


def fill(
    n: int,
    *,
    programmes: list[Programme] | None = None,
    seed: int = 1,
    batch: int = 2000,
    files: bool = True,
) -> Filled:
    """Adds ``n`` applications spread over ``programmes`` (default: all) and their calls."""
    rng = random.Random(seed)
    counts = Filled()
    programmes = programmes or list(Programme.objects.order_by("pk"))
    today = timezone.localdate()
    now = timezone.now()
    password = make_password(PASSWORD)
    setup = {p.pk: _programme_setup(p, today) for p in programmes}
    actor = User.objects.filter(staff_roles__role=StaffRole.Role.CASE_WORKER).order_by("pk").first()
    second = (
        User.objects.filter(staff_roles__role=StaffRole.Role.CASE_WORKER)
        .exclude(pk=getattr(actor, "pk", None))
        .order_by("pk")
        .first()
    ) or actor
    workers = {
        p.pk: list(User.objects.filter(staff_roles__programme=p, staff_roles__role="case_worker"))
        for p in programmes
    }
    start = (Application.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    sequences: dict[tuple[int, int], int] = {
        (s.programme_id, s.year): s.last_number for s in FileNumberSequence.objects.all()
    }
    done = 0
    while done < n:
        chunk = min(batch, n - done)
        with transaction.atomic():
            _fill_chunk(
                rng, chunk, start + done, programmes, setup, workers, sequences, actor, second,
                password, today, now, counts, batch, files,
            )  # fmt: skip
        done += chunk
    with transaction.atomic():
        for (programme_id, year), last in sequences.items():
            FileNumberSequence.objects.update_or_create(
                programme_id=programme_id, year=year, defaults={"last_number": last}
            )
        _book_budgets(setup)
        # The paid totals of the finance overview and the counts per state, from the rows
        # just written.
        paid_totals_reconcile(repair=True)
        state_counts_reconcile(repair=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum would after a large load: statistics for the planner, and the
            # visibility map that lets counts be answered from an index alone. Inside a
            # transaction (a test) VACUUM cannot run: statistics only.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    counts.applications = n
    return counts


def _programme_setup(programme: Programme, today: dt.date) -> dict:
    calls = list(Call.objects.filter(programme=programme).order_by("pk"))
    if not calls:
        raise ValueError(f"Programme {programme.code} has no call")
    financing = {c.kind: c for c in FinancingCategory.objects.filter(programme=programme)}
    return {
        "programme": programme,
        "calls": calls,
        "costs": list(CostCategory.objects.filter(programme=programme)),
        "grant": financing.get(FinancingKind.GRANT),
        "own": financing.get(FinancingKind.OWN_FUNDS) or next(iter(financing.values())),
        "other": [c for k, c in financing.items() if k != FinancingKind.GRANT],
        "document": DocumentType.objects.get_or_create(
            programme=programme, code="beschreibung", defaults={"name": "Projektbeschreibung"}
        )[0],
        "budgets": {},
    }


def _fill_chunk(
    rng, chunk, first_id, programmes, setup, workers, sequences, actor, second, password,
    today, now, counts, batch, files,
) -> None:  # fmt: skip
    users, applicants = [], []
    n_applicants = max(1, chunk // 4)
    for i in range(n_applicants):
        key = f"{first_id}-{i}"
        users.append(
            User(
                email=f"antrag{key}@bench.example",
                first_name="Vorname",
                last_name=f"Nachname {key}",
                password=password,
                is_active=True,
            )
        )
        applicants.append(
            Applicant(
                kind=ApplicantKind.choices[0][0],
                name=f"Verein {_title(rng)} {key} e. V.",
                street="Hauptstraße 1",
                postal_code="10115",
                city="Berlin",
                email=f"verein{key}@bench.example",
                contact_name="Kontakt Person",
                contact_email=f"kontakt{key}@bench.example",
                account_holder="Verein",
                iban="DE02120300000000202051",
            )
        )
    users = _bulk(User, users, counts, batch)
    applicants = _bulk(Applicant, applicants, counts, batch)
    counts.applicants += len(applicants)
    _bulk(
        Membership,
        [
            Membership(user=u, applicant=a, role=Membership.Role.OWNER)
            for u, a in zip(users, applicants, strict=True)
        ],
        counts,
        batch,
    )
    states = [s for s, _w, _p in STATES]
    weights = [w for _s, w, _p in STATES]
    paths = {s: p for s, _w, p in STATES}
    apps, plans = [], []
    for i in range(chunk):
        setup_p = setup[programmes[i % len(programmes)].pk]
        programme = setup_p["programme"]
        state = rng.choices(states, weights)[0]
        owner_i = rng.randrange(len(applicants))
        submitted = None
        file_number = None
        if state != S.DRAFT:
            submitted = now - dt.timedelta(days=rng.randrange(1, 1400), minutes=rng.randrange(1440))
            year = submitted.year
            key = (programme.pk, year)
            sequences[key] = sequences.get(key, 0) + 1
            file_number = f"{programme.code}-{year}-{sequences[key]:04d}"
        costs = [Decimal(rng.randrange(500, 20000)) for _ in range(rng.randint(2, 5))]
        total = sum(costs)
        own = (total * Decimal("0.2")).quantize(Decimal("1"))
        grant = total - own
        start_date = (submitted or now).date() + dt.timedelta(days=rng.randrange(20, 90))
        app = Application(
            programme=programme,
            call=rng.choice(setup_p["calls"]),
            applicant=applicants[owner_i],
            created_by=users[owner_i],
            assigned_to=rng.choice(workers[programme.pk] + [None, None])
            if workers[programme.pk] and state != S.DRAFT
            else None,
            state=state,
            file_number=file_number,
            title=_title(rng),
            summary="Ein offenes Angebot im Stadtteil. " * 5,
            goals="Begegnung, Teilhabe und Austausch.",
            start_date=start_date,
            end_date=start_date + dt.timedelta(days=rng.randrange(90, 365)),
            expected_participants=rng.randrange(10, 200),
            submitted_at=submitted,
            requested_amount=grant,
        )
        if state in DECIDED:
            app.approved_amount = grant
            app.decided_at = submitted + dt.timedelta(days=rng.randrange(20, 60))
            app.funding_start = start_date
            app.funding_end = app.end_date
            app.appeal_deadline = app.decided_at.date() + dt.timedelta(days=30)
            app.proof_due_date = app.funding_end + dt.timedelta(days=180)
        if state in (S.CHANGES_REQUESTED, S.PROOF_CHANGES_REQUESTED):
            app.response_due_date = today + dt.timedelta(days=rng.randrange(-20, 30))
        if state == S.APPROVED:
            app.appeal_deadline = today + dt.timedelta(days=rng.randrange(-3, 30))
        if state in (S.RUNNING, S.PROOF_DUE):
            app.proof_due_date = today + dt.timedelta(days=rng.randrange(-60, 300))
        app.next_deadline = app.deadline_now()
        apps.append(app)
        plans.append((costs, own, grant, setup_p))
    apps = _bulk(Application, apps, counts, batch)
    cost_lines, financing_lines, changes, decisions, payouts, attachments = [], [], [], [], [], []
    for app, (costs, own, grant, setup_p) in zip(apps, plans, strict=True):
        for position, amount in enumerate(costs, 1):
            cost_lines.append(
                CostLine(
                    application=app,
                    category=rng.choice(setup_p["costs"]),
                    description=f"Ausgabe {position}",
                    amount=amount,
                    position=position,
                )
            )
        rows = [(setup_p["own"], own), (setup_p["grant"], grant)]
        if rng.random() < 0.5 and len(setup_p["other"]) > 1:
            rows.append((setup_p["other"][1], Decimal(0)))
        for position, (category, amount) in enumerate(rows, 1):
            if category is not None and amount:
                financing_lines.append(
                    FinancingLine(
                        application=app,
                        category=category,
                        description=category.name[:200],
                        amount=amount,
                        position=position,
                    )
                )
        path = [*paths[app.state], app.state]
        moment = app.submitted_at or now
        for source, target in itertools.pairwise(path):
            changes.append(
                StatusChange(
                    application=app,
                    lifecycle=StatusChange.Lifecycle.APPLICATION,
                    transition=f"to_{target}",
                    source_state=source,
                    target_state=target,
                    actor=app.created_by if source == S.DRAFT else actor,
                    created_at=moment,
                )
            )
            moment += dt.timedelta(days=rng.randrange(1, 20))
        if app.state in DECIDED or app.state == S.DECISION_PROPOSED:
            decisions.append(
                Decision(
                    application=app,
                    outcome=Decision.Outcome.APPROVE,
                    status=Decision.Status.PROPOSED
                    if app.state == S.DECISION_PROPOSED
                    else Decision.Status.CONFIRMED,
                    amount=grant,
                    financing_type=Application._meta.get_field("financing_type").choices[0][0],
                    funding_start=app.start_date,
                    funding_end=app.end_date,
                    purpose=app.title,
                    proposed_by=actor,
                    confirmed_by=None if app.state == S.DECISION_PROPOSED else second,
                    confirmed_at=None if app.state == S.DECISION_PROPOSED else app.decided_at,
                )
            )
        if app.state in DECIDED:
            year = app.funding_start.year
            budget = _budget(setup_p, year)
            budget["committed"] += grant
            budget["entries"].append((app, grant))
            if app.state != S.APPROVED:
                paid_state = Payout.State.PAID if rng.random() < 0.8 else Payout.State.ORDERED
                payouts.append(
                    Payout(
                        application=app,
                        programme_id=app.programme_id,
                        state=paid_state,
                        amount=(grant / 2).quantize(Decimal("0.01")),
                        fiscal_year=year,
                        due_date=app.funding_start,
                        payment_reference=f"{app.file_number} Abschlag",
                        requested_by=actor,
                        certified_by=actor,
                        certified_at=now,
                        ordered_by=second,
                        ordered_at=now,
                        paid_on=app.funding_start if paid_state == Payout.State.PAID else None,
                    )
                )
        if files and setup_p["document"] is not None and app.state != S.DRAFT:
            attachments.append(_attachment(app, setup_p["document"]))
    _bulk(CostLine, cost_lines, counts, batch)
    _bulk(FinancingLine, financing_lines, counts, batch)
    _bulk(StatusChange, changes, counts, batch)
    made = _bulk(Decision, decisions, counts, batch)
    _bulk(
        DecisionYearAmount,
        [
            DecisionYearAmount(decision=d, fiscal_year=d.funding_start.year, amount=d.amount)
            for d in made
        ],
        counts,
        batch,
    )
    _bulk(Payout, payouts, counts, batch)
    _bulk(Attachment, attachments, counts, batch)


def _budget(setup_p: dict, year: int) -> dict:
    if year not in setup_p["budgets"]:
        setup_p["budgets"][year] = {"committed": Decimal(0), "entries": []}
    return setup_p["budgets"][year]


def _book_budgets(setup: dict) -> None:
    """Commitments as the ledger and the budget's running total, as the services keep them."""
    for setup_p in setup.values():
        programme = setup_p["programme"]
        for year, booked in setup_p["budgets"].items():
            budget, _created = Budget.objects.get_or_create(
                programme=programme,
                fiscal_year=year,
                funding_area=None,
                defaults={"amount": Decimal(0)},
            )
            entries = [
                BudgetEntry(
                    budget=budget,
                    application=app,
                    kind=BudgetEntry.Kind.COMMITMENT,
                    amount=amount,
                    note="Bewilligung",
                )
                for app, amount in booked["entries"]
            ]
            BudgetEntry.objects.bulk_create(entries, batch_size=5000)
            committed = budget.entries.aggregate(total=Sum("amount"))["total"] or Decimal(0)
            Budget.objects.filter(pk=budget.pk).update(
                amount=max(budget.amount, committed * Decimal("1.25")), committed=committed
            )
            booked["entries"].clear()


def _attachment(app: Application, document_type: DocumentType) -> Attachment:
    # Through the configured storage (a directory, or S3-compatible object storage).
    body = b"%PDF-1.4\n% bench attachment\n" + b"0" * 900 + b"\n%%EOF\n"
    name = default_storage.save(f"applications/{app.pk}/bench-{app.pk}", ContentFile(body))
    return Attachment(
        application=app,
        document_type=document_type,
        file=name,
        original_name="nachweis.pdf",
        content_type="application/pdf",
        size=len(body),
        uploaded_by=app.created_by,
    )
