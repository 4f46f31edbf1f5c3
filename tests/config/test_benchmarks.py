"""The benchmarks keep working: benchmarks/run.py in its smoke mode on the test database.

Not a timed test: speed is read from `make bench`'s figures. This proves every measured thing
still produces figures, and that no page's query count grows between the small and larger size.
"""

import math

import pytest
from django.core.management import call_command

from benchmarks import run

# django_db: pytest-django sets up only the databases its collected tests ask for, and the smoke
# run's fixture is not a test; run alone, this module would otherwise reach the real database.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def smoke_results(django_db_setup, django_db_blocker):
    """One smoke run, read by every test below: it takes seconds and builds thousands of rows.

    It runs outside a test transaction because the sweep commits batch by batch, as it does
    under Celery beat; so its rows are flushed afterwards, as after a transactional test.
    """
    lines = []
    with django_db_blocker.unblock():
        try:
            results = run.run_benchmarks(smoke=True, out=lines.append)
        finally:
            call_command("flush", interactive=False, verbosity=0)
    return results, lines


def test_smoke_run_measures_every_page_and_the_sweep(smoke_results):
    results, lines = smoke_results

    assert {r.name for r in results} == set(run.MEASURED)
    for result in results:
        assert result.rows > 0 and result.queries > 0 and result.times, result
    assert any(line.startswith("  total") for line in lines)
    table = run.format_table(results)
    assert all(name in table for name in run.MEASURED)


def test_smoke_run_page_query_counts_do_not_grow_with_rows(smoke_results):
    results, _ = smoke_results

    growth = run.query_growth(results)
    assert set(growth) == set(run.PAGES)
    for page, counts in growth.items():
        assert len(counts) >= 2, page  # measured at a small and a larger size
        assert counts[-1] <= counts[0], f"{page}: {counts}"


def test_smoke_run_sweep_runs_a_fixed_number_of_queries_per_batch(smoke_results):
    results, _ = smoke_results

    sweep = next(r for r in results if r.name == run.SWEEP)
    batches = math.ceil(sweep.rows / run.SWEEP_BATCH["smoke"])
    assert batches >= 3
    # Per batch: BEGIN, SELECT ... FOR UPDATE, UPDATE, INSERT, COMMIT, and four for the
    # notifications (the people, muted kinds, one INSERT, the ids); at most one more empty batch.
    assert sweep.queries <= 9 * batches + 3
    assert sweep.queries < sweep.rows
