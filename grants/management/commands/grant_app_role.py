"""Gives the application's PostgreSQL role exactly what the running portal needs.

    python manage.py grant_app_role foerderportal_app     # as the owner, after migrate

Migrations run as the owner of the tables; the web server and the workers connect as the app
role, which may read and write rows but never TRUNCATE, change tables, or disable or drop a
trigger (PostgreSQL allows those only to the owner). The append-only tables (audit trail,
domain events, budget ledger) are insert-only for it, on top of their triggers, and it cannot
rewrite the record of applied migrations. Default privileges cover tables that later
migrations create. See docs/operations.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

APPEND_ONLY_TABLES = ["grants_statuschange", "grants_domainevent", "grants_budgetentry"]
OWNER_ONLY_TABLES = ["django_migrations"]
REDACTABLE = [("grants_statuschange", "reason, data"), ("grants_domainevent", "payload")]


def grant_statements(role: str) -> list[str]:
    quoted = connection.ops.quote_name(role)
    database = connection.ops.quote_name(connection.settings_dict["NAME"])
    return [
        f"GRANT CONNECT ON DATABASE {database} TO {quoted}",
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        *(f"REVOKE UPDATE, DELETE ON {table} FROM {quoted}" for table in APPEND_ONLY_TABLES),
        *(f"REVOKE INSERT, UPDATE, DELETE ON {table} FROM {quoted}" for table in OWNER_ONLY_TABLES),
        # The retention job replaces the free text of audit records past their period; the
        # append-only trigger lets exactly that through, and only while the job has set its
        # flag in the transaction (privacy migration 0002). No other column may change.
        *(f"GRANT UPDATE ({columns}) ON {table} TO {quoted}" for table, columns in REDACTABLE),
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
    ]


class Command(BaseCommand):
    help = "Grant the application role row access only (PostgreSQL; run as the table owner)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role the portal connects as")

    def handle(self, *args, role: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL; SQLite has no roles.")
        with connection.cursor() as cursor:
            for statement in grant_statements(role):
                cursor.execute(statement)
        self.stdout.write(f"{role}: SELECT, INSERT, UPDATE, DELETE; append-only tables insert-only")
