"""Query plans for tests that prove an index is used."""

import itertools
import re

from django.db import connection, transaction
from psycopg.sql import Literal


def plan(queryset, *, generic: bool = False, analyze: bool = True) -> str:
    """The plan when PostgreSQL must use an index if one fits (the test tables are small). With
    ``generic``, the plan a prepared statement settles on after its fifth run (config.settings:
    server-side binding), made without the parameters' values: a partial index whose condition
    compares a column with what is a parameter here cannot be used there. ``analyze``: first
    gather the tables' statistics (their row counts outlive the test's transaction)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if analyze:
            cursor.execute("ANALYZE")
        if not generic:
            return queryset.explain()
        sql, params = queryset.query.sql_with_params()
        numbers = itertools.count(1)
        cursor.execute("PREPARE generic_plan AS " + re.sub("%s", lambda _: f"${next(numbers)}", sql))
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        values = ", ".join(Literal(value).as_string(connection.connection) for value in params)
        cursor.execute(f"EXPLAIN EXECUTE generic_plan({values})")
        lines = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE generic_plan")
        return lines
