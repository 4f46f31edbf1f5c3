"""Delivery throughput per worker: one relay pass over 2,000 pending notifications through
anymail's test backend (rendering, the claim and the per-row `sent` UPDATE included; no network).

Not a speed assertion: it prints emails per second for the notes, and proves one pass delivers
every row once with a fixed number of claims.
"""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import delivery
from accounts.models import Notification

COUNT = 2000


@pytest.mark.django_db(transaction=True)
def test_one_relay_pass_delivers_two_thousand_notifications(mailoutbox):
    Notification.objects.bulk_create([
        Notification(
            key=f"throughput:{n}", kind="approval-new", email=f"user{n}@example.test", title=f"Welcome {n}",
            template="emails/test-welcome", context={"name": f"Ada {n}"},
        )
        for n in range(COUNT)
    ])
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        report = delivery.relay()
        elapsed = time.perf_counter() - start
    print(
        f"\ndelivered {report.sent} emails in {elapsed:.2f} s: {report.sent / elapsed:,.0f} emails/s "
        f"per worker, {len(queries) / COUNT:.2f} queries per email"
    )
    assert report.sent == COUNT and len(mailoutbox) == COUNT
    assert Notification.objects.filter(email_state="sent").count() == COUNT
    batches = COUNT // delivery.CLAIM_BATCH_SIZE
    # Per batch: BEGIN, the claim, its UPDATE, COMMIT, the read; then one UPDATE per email.
    assert len(queries) <= COUNT + 5 * (batches + 1)
