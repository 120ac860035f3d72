"""PostgreSQL only: a trigram GIN index on Enterprise.search_text, so that the enterprise list's
`q` filter (`search_text__contains`, a LIKE '%…%') uses an index instead of reading all rows.

Meta.indexes cannot say "PostgreSQL only" (SQLite has no GIN), so the index lives here and is a
no-op elsewhere; the model state does not change, so makemigrations stays clean.
"""

from django.db import migrations

INDEX_NAME = "enterprise_search_text_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("enterprises", "Enterprise")._meta.db_table)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON {table} USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
