"""Migration operations the apps share: PostgreSQL-only operations (SQLite, the embedded default,
has no trigram indexes and no statement-level triggers with transition tables), and the SQL of
the triggers that record page touches (accounts.models.PageTouch) for the migrations of every app
whose rows a cached page shows (accounts.pagecache).

Each app's migration names its table and says, as a query over the rows a statement changed
(``changed``: the new rows of an INSERT, the old ones of a DELETE, both of an UPDATE), which scopes
those rows belong to: ``SELECT 'c', company_id FROM changed``. The triggers are statement-level with
transition tables, so a statement over 100,000 rows writes one touch per scope it changed, not
one per row. Migrations import this module: change it only by adding, never by changing what an
existing call writes.
"""

from django.db import migrations


class _OnPostgresOnly:
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class RunSQLOnPostgres(_OnPostgresOnly, migrations.RunSQL):
    """RunSQL on PostgreSQL only (the triggers, their backfills)."""


class AddIndexOnPostgres(_OnPostgresOnly, migrations.AddIndex):
    """AddIndex on PostgreSQL only (trigram and other PostgreSQL index types)."""


def _insert_touches(targets: str, rows: str) -> str:
    return (
        f"INSERT INTO accounts_pagetouch (kind, owner) "
        f"SELECT DISTINCT kind, owner FROM (WITH changed AS ({rows}) {targets}) AS touched (kind, owner) "
        f"WHERE owner IS NOT NULL;"
    )


EVENTS = ("INSERT", "UPDATE", "DELETE")


def touch_triggers(
    name: str, table: str, targets: str, *, watched: tuple[str, ...] = (), events: tuple[str, ...] = EVENTS
) -> RunSQLOnPostgres:
    """The function ``<name>()`` and its three triggers on ``table`` (after INSERT, UPDATE and
    DELETE, once per statement; ``events`` to choose fewer). ``targets`` selects ``(kind, owner)``
    from ``changed``. With ``watched``, an UPDATE touches only for the rows where one of those
    columns changed (not for the outbox's delivery columns or a sign-in's ``last_login``: nothing a
    page shows)."""
    if watched:
        new, old = (", ".join(f"{alias}.{column}" for column in watched) for alias in "no")
        changed = (
            "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
            f"WHERE ({new}) IS DISTINCT FROM ({old})"
        )
        updated = (
            f"SELECT * FROM new_rows WHERE id IN ({changed}) "
            f"UNION ALL SELECT * FROM old_rows WHERE id IN ({changed})"
        )
    else:
        updated = "SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows"
    forward = f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_insert_touches(targets, "SELECT * FROM new_rows")}
    ELSIF TG_OP = 'DELETE' THEN
        {_insert_touches(targets, "SELECT * FROM old_rows")}
    ELSE
        {_insert_touches(targets, updated)}
    END IF;
    RETURN NULL;
END $$;
"""
    transitions = {
        "INSERT": ("ins", "NEW TABLE AS new_rows"),
        "UPDATE": ("upd", "NEW TABLE AS new_rows OLD TABLE AS old_rows"),
        "DELETE": ("del", "OLD TABLE AS old_rows"),
    }
    for event in events:
        suffix, referencing = transitions[event]
        forward += (
            f"CREATE TRIGGER {name}_{suffix} AFTER {event} ON {table} REFERENCING {referencing}\n"
            f"    FOR EACH STATEMENT EXECUTE FUNCTION {name}();\n"
        )
    backward = f"""
DROP TRIGGER IF EXISTS {name}_ins ON {table};
DROP TRIGGER IF EXISTS {name}_upd ON {table};
DROP TRIGGER IF EXISTS {name}_del ON {table};
DROP FUNCTION IF EXISTS {name}();
"""
    return RunSQLOnPostgres(forward, backward)
