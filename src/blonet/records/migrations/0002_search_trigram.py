"""PostgreSQL only: trigram GIN indexes so that `search_text LIKE '% word%'` uses an index."""

from django.db import migrations

TABLES = (
    "records_seizure", "records_incident", "records_person", "records_vehicle",
    "records_organisation", "records_phone", "records_document", "records_container",
    "records_bankaccount",
)  # fmt: skip


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} "
            "USING gin (search_text gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
