"""The audit trail stays append-only, with one exception: the anonymisation job may replace
the free text of a status change (``reason``, ``data``) or of a domain event (``payload``) when
its retention period has passed, while every other column stays as it was.

The job announces itself with a transaction-local setting (``foerderportal.anonymising``);
without it, or when any other column changes, the trigger refuses as before. DELETE stays
refused. PostgreSQL only, like grants 0005.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION foerderportal_refuse_change_except_redaction() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('foerderportal.anonymising', true) = 'on'
       AND (to_jsonb(NEW) - TG_ARGV[0] - TG_ARGV[1]) = (to_jsonb(OLD) - TG_ARGV[0] - TG_ARGV[1])
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""

# table: the two columns that hold free text (a second name that does not exist is ignored)
TABLES = {
    "grants_statuschange": ("reason", "data"),
    "grants_domainevent": ("payload", "payload"),
}

CREATE = FUNCTION + "".join(
    f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION foerderportal_refuse_change_except_redaction('{a}', '{b}');
"""
    for table, (a, b) in TABLES.items()
)

RESTORE = "".join(
    f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION foerderportal_refuse_change();
"""
    for table in TABLES
) + "DROP FUNCTION IF EXISTS foerderportal_refuse_change_except_redaction();"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTORE, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_legal_texts_and_anonymisation_log"),
        ("grants", "0005_audit_trail_append_only_in_postgresql"),
    ]

    operations = [migrations.RunPython(create, restore)]
