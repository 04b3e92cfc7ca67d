"""The application's PostgreSQL role reads and writes rows and nothing else: no TRUNCATE, no
DDL, no trigger changes, no edits of the append-only tables. A direct change of a budget's
committed figure, which row access cannot prevent, is found by the reconciliation job."""

import os
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from grants.models import Budget
from tests.factories import S, advance, draft

APP_ROLE = "foerderportal_test_app"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles and privileges are PostgreSQL's"
)


def _as_app_role(cursor) -> None:
    """Switch this transaction to the app role, created and granted as in production."""
    cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
    _user, superuser = cursor.fetchone()
    if not superuser:
        return  # the suite already runs as the app role (DATABASE_APP_ROLE in .ci/run)
    cursor.execute(
        f"""DO $$ BEGIN CREATE ROLE {APP_ROLE} NOLOGIN;
            EXCEPTION WHEN duplicate_object THEN NULL; END $$"""
    )
    call_command("grant_app_role", APP_ROLE)
    cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")


FORBIDDEN = [
    "ALTER TABLE grants_statuschange DISABLE TRIGGER ALL",
    "ALTER TABLE grants_budgetentry DISABLE TRIGGER grants_budgetentry_append_only",
    "DROP TRIGGER grants_statuschange_append_only ON grants_statuschange",
    "TRUNCATE grants_statuschange CASCADE",
    "TRUNCATE grants_budgetentry CASCADE",
    "DROP TABLE grants_budget CASCADE",
    "ALTER TABLE grants_budget DROP CONSTRAINT IF EXISTS budget_never_overcommitted",
    "CREATE TABLE intruder (id int)",
    "SET session_replication_role = replica",
    "UPDATE grants_statuschange SET target_state = 'x'",
    "UPDATE grants_domainevent SET name = 'x'",
    "DELETE FROM grants_budgetentry",
    "DELETE FROM django_migrations",
]


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize("statement", FORBIDDEN)
def test_app_role_cannot(statement):
    with transaction.atomic(), connection.cursor() as cursor:
        _as_app_role(cursor)
        with pytest.raises(DatabaseError) as refused, transaction.atomic():
            cursor.execute(statement)

    assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value)


@postgresql_only
@pytest.mark.django_db
def test_app_role_can_do_its_work(world):
    with transaction.atomic(), connection.cursor() as cursor:
        _as_app_role(cursor)
        application = advance(draft(world), world, to=S.APPROVED)

    assert application.status_changes.exists()
    assert application.budget_entries.exists()


@pytest.mark.django_db
def test_reconciliation_is_quiet_when_budgets_match_their_ledger(world, capsys):
    advance(draft(world), world, to=S.APPROVED)

    call_command("reconcile_budgets")

    assert "match their ledger" in capsys.readouterr().out


@pytest.mark.django_db
def test_reconciliation_alerts_on_a_direct_change(world, caplog):
    advance(draft(world), world, to=S.APPROVED)
    Budget.objects.filter(pk=world.budget.pk).update(committed=Decimal("1.00"))

    with pytest.raises(CommandError):
        call_command("reconcile_budgets")

    assert any(
        record.levelname == "ERROR" and "committed 1.00" in record.getMessage()
        for record in caplog.records
    )


def _current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


@postgresql_only
@pytest.mark.skipif(
    not os.environ.get("DATABASE_APP_ROLE"), reason="only when the suite runs as the app role"
)
@pytest.mark.parametrize(
    "db_kind", ["db", "transactional_db"], ids=["in-a-transaction", "transactional"]
)
@pytest.mark.parametrize("repeat", [1, 2], ids=["first", "after-a-flush"])
def test_the_suite_runs_as_the_app_role(request, db_kind, repeat):
    """Test bodies, their threads included, run as the app role, before and after the owner
    emptied the tables of a transactional test (tests/conftest.py)."""
    request.getfixturevalue(db_kind)
    role = os.environ["DATABASE_APP_ROLE"]
    in_thread = []

    def query() -> None:
        try:
            in_thread.append(_current_user())
        finally:
            connection.close()

    thread = threading.Thread(target=query)
    thread.start()
    thread.join()

    assert _current_user() == role
    assert in_thread == [role]
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        connection.cursor().execute("TRUNCATE grants_budgetentry")
