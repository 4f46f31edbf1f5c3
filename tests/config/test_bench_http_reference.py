"""`make bench-http`'s reference for the approve POSTs: the signed-in write floor (a signed-in POST
that commits one row), printed with its share of the bare POST but judged by no target, and the
growth table's rule that a page's query count never rises with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from benchmarks.http import run
from tests.factories import approver


@pytest.fixture
def bench_urls():
    with override_settings(ROOT_URLCONF="benchmarks.http.urls"):
        yield


@pytest.mark.django_db
def test_the_signed_in_write_reads_the_session_and_user_and_commits_one_row(bench_urls, client):
    reader = approver()
    client.force_login(reader)

    with CaptureQueriesContext(connection) as queries:
        response = client.post("/bench/signed-in-write/")

    assert response.status_code == 302
    statements = [q["sql"] for q in queries.captured_queries]
    writes = [sql for sql in statements if not sql.startswith(("SELECT", "SAVEPOINT", "RELEASE"))]
    assert len(writes) == 1 and writes[0].startswith('UPDATE "django_session"'), statements
    assert any('FROM "accounts_user"' in sql for sql in statements)


@pytest.mark.django_db
def test_the_signed_in_write_writes_nothing_for_a_visitor_not_signed_in(bench_urls, client):
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/bench/signed-in-write/")

    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not [q for q in queries.captured_queries if not q["sql"].startswith("SELECT")]


def _rows(floor_post=3000.0):
    bare = run.Row("bare POST view", method="POST", rps=[floor_post], floor_rps=[floor_post])
    decision = run.Row("approve POST (email link)", method="POST", rps=[150.0], floor_rps=[floor_post],
                       p99_ms=40.0, sql_ms=3.0, queries=9)
    reference = run.Row("signed-in write POST (floor)", method="POST", rps=[400.0], floor_rps=[floor_post],
                        p99_ms=15.0, sql_ms=0.7, queries=3, reference=True)
    return bare, decision, reference


def test_the_reference_is_printed_with_its_share_but_counts_in_no_target():
    bare, decision, reference = _rows()

    table = run.format_table(100_000, [bare, decision, reference])

    line = next(line for line in table.splitlines() if line.startswith("signed-in write POST (floor)"))
    assert "13.3%" in line and line.endswith("reference: no target")
    # The decision's three targets only: share, p99 (met) and SQL.
    assert "targets: 1 met, 2 NOT met" in table


def test_a_query_count_that_falls_at_a_larger_size_is_flat_and_one_that_rises_is_not():
    def page(name, queries, p50=3.0):
        return run.Row(name, rps=[1000.0], floor_rps=[4000.0], p50_ms=p50, queries=queries)

    _, _, reference = _rows()
    results = {
        10_000: [page("search", 7), page("inbox", 4), page("offers", 5), reference],
        100_000: [page("search", 5), page("inbox", 4), page("offers", 6), reference],
        1_000_000: [page("search", 5), page("inbox", 4), page("offers", 6), reference],
    }

    lines = {line.split()[0]: line for line in run.format_growth(results).splitlines()[2:]}

    assert lines["search"].endswith("met") and "NOT" not in lines["search"]
    assert lines["inbox"].endswith("met") and "NOT" not in lines["inbox"]
    assert lines["offers"].endswith("NOT met")
    assert "signed-in" not in lines


def test_choosing_an_approve_post_measures_its_reference_too():
    targets = [run.Target("request page", "/r/"), run.Target("approve POST (email link)", "", method="POST"),
               run.Target("signed-in write POST (floor)", "", method="POST", reference=True)]

    assert [t.name for t in run._selected(targets, "Email link")] == [
        "approve POST (email link)", "signed-in write POST (floor)"]
    assert [t.name for t in run._selected(targets, "request page, ")] == ["request page"]
