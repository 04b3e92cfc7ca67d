"""The audit trail and the budget ledger refuse UPDATE and DELETE in the database itself.

The models already refuse changes, but ``QuerySet.update()`` or raw SQL would not ask them.
Only PostgreSQL (production) gets the trigger; TRUNCATE, which test databases use to reset,
fires no row trigger.
"""

from django.db import migrations

TABLES = ["grants_statuschange", "grants_domainevent", "grants_budgetentry"]

CREATE = """
CREATE OR REPLACE FUNCTION foerderportal_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION foerderportal_refuse_change();
"""
    for table in TABLES
)

DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS foerderportal_refuse_change();"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("grants", "0004_base_rates")]

    operations = [migrations.RunPython(create, drop)]
