"""Trigram indexes for the work queue's search (file number, title, applicant name).

The search is ``icontains``, which Django writes as ``UPPER(column::text) LIKE UPPER('%…%')``
on PostgreSQL: a pattern with a leading wildcard that no B-tree can serve, so without these
indexes every search read every application (~400 ms at 100,000). A GIN index of the trigrams
of exactly that expression serves it (grants/selectors/queue.py asks one column per branch so
that each branch can use its index).

PostgreSQL only: SQLite has neither pg_trgm nor GIN, and its tables stay small. pg_trgm is a
trusted extension (PostgreSQL 13 and later), so the owner role that runs the migrations may
create it without being a superuser; the app role only uses the indexes.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (index, table, column); the applicant's name lives in the applicants app, but only the
# queue's search needs this index, so it is made and dropped with the others.
INDEXES = [
    ("application_file_number_trgm", "grants_application", "file_number"),
    ("application_title_trgm", "grants_application", "title"),
    ("applicant_name_trgm", "applicants_applicant", "name"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX "{name}" ON "{table}" USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )
    # Statistics of the indexed expressions: without them the planner guesses how many rows a
    # search matches, and for a rare name walked 46,000 rows of the date index (134 ms instead
    # of 1.5 ms at 100,000). Autovacuum would gather them only after many rows change.
    for table in sorted({table for _name, table, _column in INDEXES}):
        schema_editor.execute(f'ANALYZE "{table}"')


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("applicants", "0003_history_of_bank_details"),
        ("grants", "0018_request_item_document_type"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
