"""The validators' desk at scale (issue 13, "Scale"; bench/certificates.py).

- The queue's index gains the source and the kind: the counts of the queue, its kind filter
  and the offset of a deep page are read from the index alone (index-only scans), not from
  100,000 rows.
- PostgreSQL: a trigram index (pg_trgm) on the establishment, so the centre filter ("the
  establishment's name contains …": Django's ``icontains``, ``UPPER(establishment) LIKE
  UPPER('%…%')``) finds its rows without reading every pending certificate of the country. Not part of the model state (SQLite has no such index and the
  filter stays correct, only slower). Where the extension cannot be created (a managed
  database without pg_trgm), the migration says so and goes on without the index.
"""

import logging

from django.db import DatabaseError, migrations, models, transaction

logger = logging.getLogger(__name__)

TRIGRAM_INDEX = "certificate_establishment_trgm"


def trigram_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        # a savepoint: a refused extension leaves the migration's transaction usable
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            # the expression Django's icontains compares on PostgreSQL: UPPER(col) LIKE ...
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON "
                           "certificates_certificate USING gin "
                           "(UPPER(establishment::text) gin_trgm_ops)")
    except DatabaseError as exc:   # a missing extension must not stop a deploy
        logger.warning("certificates: no trigram index on the establishment (%s); the "
                       "desk's centre filter will read every pending row", exc)


def trigram_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("certificates", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="certificate",
            name="certificate_queue",
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["country", "source", "status", "due_on", "id", "kind"],
                               name="certificate_desk_queue"),
        ),
        migrations.RunPython(trigram_index, trigram_index_drop),
    ]
