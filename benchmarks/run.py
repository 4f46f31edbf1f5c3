"""Greenlight benchmarks: print figures for the pages and jobs that have speed targets.

Run with `make bench` (or `.venv/bin/python -m benchmarks.run [--smoke] [--reps N]`; run as a module, since
benchmarks/http would stand in for the standard library's http package if this file ran as a script).

Speed targets are checked by reading these figures, not by timed tests. For every measured
thing the table shows the rows behind it, the SQL queries it ran and the median and p95 wall
time over N repetitions; pages are measured at a small and a large size so a query count that
grows with the rows stands out (the "flat?" check under the table).

How it runs:
- on the real PostgreSQL named by DATABASE_URL (default greenlight_bench), with the test
  settings' email and Celery (anymail's test backend, eager tasks): benchmarks/settings.py;
- the database is created if missing and migrated, then emptied (flush) at the start of every
  run, so each run starts from the same empty schema and can be repeated. It refuses to run
  on a database whose name does not contain "bench", because it empties it;
- data is written with bulk_create (states and timestamps set directly, as the services would
  leave them), pages are fetched with Django's test Client signed in with force_login;
- after each bulk load the database is ANALYZEd; each page is then fetched once to warm up,
  once to count its queries, then N times for the timings;
- the expiry sweep runs with real commits per batch, at 100,000 stale requests, side by side
  with the raw SQL floor (one UPDATE plus one INSERT of the audit rows) on the same rows,
  reloaded and vacuumed between runs, interleaved; the table ends with their ratio. The
  delivery tasks the sweep enqueues are collected rather than published, so its figure is its
  own SQL, and a sample of its notifications is then emailed through the relay and reported
  per email (building each email from its request, as the relay does at send time).

tests/config/test_benchmarks.py runs ``run_benchmarks(smoke=True)`` on the test database.
"""

import argparse
import contextlib
import datetime
import itertools
import logging
import math
import os
import platform
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent

# (what is measured, sizes in the full run, sizes in the smoke run)
DASHBOARD_SIZES = {"full": [1, 200, 2000], "smoke": [1, 30]}
TIMELINE_SIZES = {"full": [0, 250], "smoke": [0, 10]}  # consume/release cycles after create + approve
SWEEP_SIZES = {"full": 100_000, "smoke": 60}
SWEEP_EMAIL_SAMPLE = {"full": 200, "smoke": 5}
# The sweep's own batch size (approvals.services.SWEEP_BATCH_SIZE) unless set: the smoke run uses
# small batches so that it sweeps several.
SWEEP_BATCH = {"full": None, "smoke": 25}
OFFER_SIZES = {"full": [1, 1000], "smoke": [1, 30]}
INVITE_SIZES = {"full": [1, 500], "smoke": [1, 30]}
REPS = {"full": 25, "smoke": 1}
SWEEP_REPS = {"full": 3, "smoke": 1}

# The pages: each must run the same number of queries at every size.
PAGES = [
    "approvals:dashboard (hiring manager)",
    "approvals:dashboard (approver)",
    "approvals:detail (timeline entries)",
    "offers:offer_list (client)",
    "jobs:invitations (freelancer)",
    "referrals:list (freelancer)",
    "jobs:job_invitees (client)",
]
SWEEP = "approvals_expire_stale (sweep, SQL)"
SWEEP_RAW = "raw SQL expiry (the floor)"
SWEEP_EMAILS = "deliver_due (eager, per email)"
MEASURED = [*PAGES, SWEEP, SWEEP_RAW, SWEEP_EMAILS]
PENDING_TAB = "pending tab, 20 a page"


@dataclass
class Result:
    name: str
    rows: int
    queries: int
    times: list[float] = field(repr=False)
    note: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000


# ---------------------------------------------------------------------------------------------
# Data, written in bulk. Every name is unique per run, so the builders can be called repeatedly.

_serial = itertools.count(1)


def _users(count: int, kind: str):
    from accounts.models import User

    batch = next(_serial)
    return User.objects.bulk_create([
        # "!" is an unusable password: the benchmark signs in with force_login.
        User(email=f"bench-{kind}-{batch}-{i}@bench.test", full_name=f"Bench {kind.title()} {batch}-{i}",
             password="!")
        for i in range(count)
    ], batch_size=1000)


def _freelancers(count: int):
    from accounts.models import FreelancerProfile

    users = _users(count, "freelancer")
    FreelancerProfile.objects.bulk_create([
        FreelancerProfile(user=user, title="Python developer", skills="Python, Django, PostgreSQL",
                          hourly_rate=Decimal("80.00"), connects_balance=60)
        for user in users
    ], batch_size=1000)
    return users


def _company(*, approvals: bool = True):
    from accounts.models import Company

    return Company.objects.create(
        name=f"Bench Company {next(_serial)}", is_enterprise=True, approvals_enabled=approvals
    )


def _member(company, *, hiring_manager=False, approver=False):
    from accounts.models import Membership

    user = _users(1, "member")[0]
    Membership.objects.create(
        user=user, company=company, is_hiring_manager=hiring_manager, is_approver=approver
    )
    return user


def _request(company, requester, approver, freelancer, i, state, now, **extra):
    """An ApprovalRequest in ``state`` with the timestamps that state needs (approvals/models.py).

    The FSM field is protected against assignment, not against the constructor, so bulk_create
    can write any state: for benchmark data only; the app changes state through its services.
    """
    from approvals.models import ApprovalRequest, State

    timestamps = {
        State.PENDING: {"expires_at": now + datetime.timedelta(days=14)},
        State.APPROVED: {"decided_at": now - datetime.timedelta(days=1),
                         "expires_at": now + datetime.timedelta(days=29)},
        State.DECLINED: {"decided_at": now - datetime.timedelta(days=1),
                         "expires_at": now + datetime.timedelta(days=13),
                         "decision_comment": "Over budget for this quarter."},
        State.EXPIRED: {"expired_at": now - datetime.timedelta(hours=1),
                        "expires_at": now - datetime.timedelta(hours=1)},
        State.CONSUMED: {"decided_at": now - datetime.timedelta(days=2),
                         "consumed_at": now - datetime.timedelta(days=1),
                         "expires_at": now + datetime.timedelta(days=28)},
    }[state]
    return ApprovalRequest(
        company=company, requester=requester, approver=approver, freelancer=freelancer,
        title=f"Senior Django developer {i}", offer_type="direct", contract_type="hourly",
        amount=Decimal("85.00") + i % 50, currency="USD", weekly_hour_limit=30,
        start_date=now.date() + datetime.timedelta(days=7),
        justification="Backfill for the billing team.", state=state,
        **{**timestamps, **extra},
    )


def _log_creation(requests, now):
    from approvals.models import ApprovalTransition

    ApprovalTransition.objects.bulk_create([
        ApprovalTransition(request=r, actor_id=r.requester_id, name="create", target_state="pending",
                           created_at=now - datetime.timedelta(days=2))
        for r in requests
    ], batch_size=2000)


def _referrals(specs, now):
    """Referrals for (job, referrer, referred): the referrer's declined invite, the referred
    freelancer's invite from the referral, and the Referral that links them."""
    from jobs.models import Invite
    from referrals.models import Referral

    originals = Invite.objects.bulk_create([
        Invite(job=job, freelancer=referrer, invited_by_id=job.posted_by_id, state=Invite.State.DECLINED,
               decline_reason="Fully booked this month.", responded_at=now, message="Join us?")
        for job, referrer, _ in specs
    ], batch_size=1000)
    new_invites = Invite.objects.bulk_create([
        Invite(job=job, freelancer=referred, invited_by_id=job.posted_by_id, source=Invite.Source.REFERRAL,
               message="Join us?")
        for job, _, referred in specs
    ], batch_size=1000)
    Referral.objects.bulk_create([
        Referral(job=job, referrer=referrer, referred=referred, original_invite=original,
                 new_invite=new_invite, note="Great with Django.")
        for (job, referrer, referred), original, new_invite in zip(specs, originals, new_invites, strict=True)
    ], batch_size=1000)


def _jobs(company, posted_by, count):
    from jobs.models import Job

    batch = next(_serial)
    return Job.objects.bulk_create([
        Job(company=company, posted_by=posted_by, title=f"Bench job {batch}-{i}",
            description="Build and maintain our Django services.", skills="Python, Django",
            budget_amount=Decimal("75.00"))
        for i in range(count)
    ], batch_size=1000)


# ---------------------------------------------------------------------------------------------
# Measuring.


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would in production;
    without them the first plans are guesses and the figures wander."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _measure_page(client, url: str, reps: int) -> tuple[int, list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _analyze()
    response = client.get(url)  # warm-up: template loading, first-use caches
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Count now: every request start clears the connection's query log (django.db.reset_queries).
    query_count = len(queries)
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return query_count, times


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def bench_dashboard(sizes, reps, pool, now):
    from django.urls import reverse

    from approvals.models import ApprovalRequest, State

    # Most requests pending, so the default tab is full; the other states fill the counts.
    cycle = [State.PENDING, State.PENDING, State.APPROVED, State.DECLINED, State.EXPIRED]
    url = reverse("approvals:dashboard")
    results = []
    for size in sizes:
        company = _company()
        manager = _member(company, hiring_manager=True)
        approver = _member(company, approver=True)
        requests = ApprovalRequest.objects.bulk_create([
            _request(company, manager, approver, pool[i % len(pool)], i, cycle[i % len(cycle)], now)
            for i in range(size)
        ], batch_size=2000)
        _log_creation(requests, now)
        for role, user in (("hiring manager", manager), ("approver", approver)):
            queries, times = _measure_page(_client_for(user), url, reps)
            results.append(Result(f"approvals:dashboard ({role})", size, queries, times, PENDING_TAB))
    return results


def bench_detail(cycles_list, reps, pool, now):
    from django.urls import reverse

    from approvals.models import ApprovalRequest, ApprovalTransition, State
    from offers.models import Offer

    results = []
    for cycles in cycles_list:
        company = _company()
        manager = _member(company, hiring_manager=True)
        approver = _member(company, approver=True)
        request = ApprovalRequest.objects.bulk_create([
            _request(company, manager, approver, pool[0], 0, State.APPROVED, now)
        ])[0]
        # Each consume/release cycle is an offer sent with this approval, then withdrawn.
        Offer.objects.bulk_create([
            Offer(company=company, created_by=manager, freelancer=pool[0], approval_request=request,
                  title=request.title, amount=request.amount, start_date=request.start_date,
                  state=Offer.State.WITHDRAWN, withdrawn_at=now)
            for _ in range(cycles)
        ], batch_size=1000)
        entries = [
            ("create", "", State.PENDING, manager), ("approve", State.PENDING, State.APPROVED, approver)
        ]
        for _ in range(cycles):
            entries.append(("consume", State.APPROVED, State.CONSUMED, manager))
            entries.append(("release", State.CONSUMED, State.APPROVED, manager))
        start = now - datetime.timedelta(days=1)
        ApprovalTransition.objects.bulk_create([
            ApprovalTransition(request=request, actor=actor, name=name, source_state=source,
                               target_state=target, comment="Offer withdrawn." if name == "release" else "",
                               created_at=start + datetime.timedelta(seconds=i))
            for i, (name, source, target, actor) in enumerate(entries)
        ], batch_size=2000)
        queries, times = _measure_page(
            _client_for(manager), reverse("approvals:detail", args=[request.pk]), reps
        )
        results.append(Result("approvals:detail (timeline entries)", len(entries), queries, times,
                              f"{cycles} withdrawn offers listed"))
    return results


def _raw_expire(now) -> None:
    """The floor the sweep is held to: the same rows expired and logged by two plain statements
    in one transaction, with no locking order, no batches and no notifications."""
    from django.db import connection, transaction

    from approvals.bulk import EXPIRY_COMMENTS

    stale = "state IN ('pending', 'approved') AND expires_at <= %(now)s"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO approvals_approvaltransition"
            " (request_id, actor_id, name, source_state, target_state, comment, created_at)"
            " SELECT id, NULL, 'expire', state, 'expired',"
            " CASE state WHEN 'pending' THEN %(pending)s ELSE %(approved)s END, %(now)s"
            f" FROM approvals_approvalrequest WHERE {stale}",
            {"now": now, "pending": EXPIRY_COMMENTS["pending"], "approved": EXPIRY_COMMENTS["approved"]},
        )
        cursor.execute(
            "UPDATE approvals_approvalrequest SET state = 'expired', expired_at = %(now)s,"
            f" updated_at = %(now)s WHERE {stale}",
            {"now": now},
        )


def _vacuum(*tables: str) -> None:
    """Clear the dead rows a reset leaves, so every timed run starts from the same table."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def bench_sweep(size, reps, email_sample, pool, now, batch_size=None):
    """The expiry sweep over ``size`` stale requests, with real commits per batch, side by side
    with the raw SQL floor (_raw_expire) on the same rows, reloaded between runs.

    The sweep's figure includes its audit rows and its notification rows; the delivery tasks it
    enqueues after commit (one per hundred) are collected instead of published, and a sample of
    its notifications is then emailed through the relay and reported per email (a worker does
    that work in production).
    """
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts import delivery, notifications
    from accounts.models import Notification
    from approvals import services
    from approvals.models import ApprovalRequest, ApprovalTransition, State

    company = _company()
    manager = _member(company, hiring_manager=True)
    approver = _member(company, approver=True)
    states = [State.PENDING, State.APPROVED]
    requests = ApprovalRequest.objects.bulk_create([
        _request(company, manager, approver, pool[i % len(pool)], i, states[i % 2], now,
                 expires_at=now - datetime.timedelta(minutes=1 + i % 600))
        for i in range(size)
    ], batch_size=2000)
    _log_creation(requests, now)
    by_state = {state: [r.pk for r in requests if r.state == state] for state in states}
    batch_size = batch_size or services.SWEEP_BATCH_SIZE
    tables = ("approvals_approvalrequest", "approvals_approvaltransition", "accounts_notification")

    def reset():
        """Put the rows back as they were, for the next run."""
        for state, ids in by_state.items():
            ApprovalRequest.objects.filter(pk__in=ids).update(state=state, expired_at=None)
        ApprovalTransition.objects.filter(request__company=company, name="expire").delete()
        Notification.objects.filter(recipient=manager).delete()
        _vacuum(*tables)

    def timed(run, *, count_queries=False):
        # Timed runs go without the query log, which copies every SQL text.
        capture = CaptureQueriesContext(connection) if count_queries else contextlib.nullcontext([])
        with capture as queries:
            start = time.perf_counter()
            run()
            elapsed = time.perf_counter() - start
        if ApprovalRequest.objects.filter(company=company, state=State.EXPIRED).count() != size:
            raise RuntimeError(f"{run.__name__} did not expire all {size} stale requests")
        return elapsed, len(queries)

    enqueued = []

    def sweep():
        enqueued.clear()
        with mock.patch.object(notifications, "enqueue_delivery", enqueued.append):
            services.approval_requests_expire_stale(batch_size=batch_size)

    def raw():
        _raw_expire(timezone.now())

    _vacuum(*tables)
    _, query_count = timed(sweep, count_queries=True)  # also the warm-up
    reset()
    _, raw_query_count = timed(raw, count_queries=True)
    reset()
    sweep_times, raw_times = [], []
    # Interleaved, so both see the same machine: the last sweep leaves its rows for the emails.
    for rep in range(reps):
        raw_times.append(timed(raw)[0])
        reset()
        sweep_times.append(timed(sweep)[0])
        if rep < reps - 1:
            reset()
    notification_ids = sorted(pk for batch in enqueued for pk in batch)
    tasks = sum(math.ceil(len(batch) / notifications.DELIVERY_BATCH_SIZE) for batch in enqueued)
    if len(notification_ids) != size:
        raise RuntimeError(f"the sweep enqueued {len(notification_ids)} of {size} notifications")
    rate = size / statistics.median(sweep_times)
    results = [
        Result(SWEEP, size, query_count, sweep_times,
               f"{math.ceil(size / batch_size)} batches of {batch_size:,}, {rate:,.0f} rows/s, audit + "
               f"notification rows, {tasks:,} delivery tasks enqueued"),
        Result(SWEEP_RAW, size, raw_query_count, raw_times, "UPDATE + INSERT audit rows, one transaction"),
    ]

    # The last sweep left its notifications pending: email some of them as a worker would.
    mail.outbox = []
    delivery.deliver_due(ids=notification_ids[:1], limit=1)  # warm-up: the email templates load once
    sample = notification_ids[1:email_sample + 1]
    email_times = []
    with CaptureQueriesContext(connection) as queries:
        for pk in sample:
            start = time.perf_counter()
            delivery.deliver_due(ids=[pk], limit=1)
            email_times.append(time.perf_counter() - start)
    if len(mail.outbox) != len(sample) + 1:
        raise RuntimeError(f"{len(mail.outbox)} of {len(sample) + 1} sample emails were sent")
    per_email = len(queries) / max(1, len(sample))
    results.append(Result(
        SWEEP_EMAILS, len(sample), round(per_email), email_times,
        f"{size:,} emails ≈ {statistics.median(email_times) * size:,.1f} s of worker time",
    ))
    return results


def sweep_ratio(results: list[Result]) -> str | None:
    """The sweep's median time over the raw SQL floor's, on the same rows in the same run."""
    by_name = {r.name: r for r in results}
    if SWEEP not in by_name or SWEEP_RAW not in by_name:
        return None
    sweep, raw = by_name[SWEEP], by_name[SWEEP_RAW]
    ratio = sweep.median_ms / raw.median_ms
    return (f"sweep ratio at {sweep.rows:,} stale requests: sweep {sweep.median_ms / 1000:.2f} s / "
            f"raw SQL {raw.median_ms / 1000:.2f} s = {ratio:.2f}x (target <= 1.5x)")


def bench_offer_list(sizes, reps, pool, now):
    from django.urls import reverse

    from approvals.models import ApprovalRequest, State
    from offers.models import Offer, OfferRevision

    results = []
    for size in sizes:
        company = _company()
        manager = _member(company, hiring_manager=True)
        approver = _member(company, approver=True)
        # Each sent offer uses its own approval (consumed), as offer_send leaves them.
        requests = ApprovalRequest.objects.bulk_create([
            _request(company, manager, approver, pool[i % len(pool)], i, State.CONSUMED, now)
            for i in range(size)
        ], batch_size=2000)
        _log_creation(requests, now)
        offers = Offer.objects.bulk_create([
            Offer(company=company, created_by=manager, freelancer_id=r.freelancer_id, approval_request=r,
                  title=r.title, amount=r.amount, start_date=r.start_date, weekly_hour_limit=30,
                  message="Welcome aboard.")
            for r in requests
        ], batch_size=2000)
        OfferRevision.objects.bulk_create([
            OfferRevision(offer=o, number=1, created_by=manager, title=o.title, amount=o.amount,
                          start_date=o.start_date, weekly_hour_limit=30, message=o.message)
            for o in offers
        ], batch_size=2000)
        queries, times = _measure_page(_client_for(manager), reverse("offers:offer_list"), reps)
        results.append(Result("offers:offer_list (client)", size, queries, times, "sent tab, 20 a page"))
    return results


def bench_invitations(sizes, reps, pool, now):
    """The freelancer's pending invites; every fifth one comes from a referral."""
    from django.urls import reverse

    from jobs.models import Invite

    results = []
    for size in sizes:
        company = _company(approvals=False)
        manager = _member(company, hiring_manager=True)
        me = _freelancers(1)[0]
        jobs = _jobs(company, manager, size)
        direct = [job for i, job in enumerate(jobs) if i % 5 != 4]
        Invite.objects.bulk_create([
            Invite(job=job, freelancer=me, invited_by=manager, message="We would love to have you.")
            for job in direct
        ], batch_size=1000)
        _referrals([(job, pool[i % len(pool)], me) for i, job in enumerate(jobs) if i % 5 == 4], now)
        queries, times = _measure_page(_client_for(me), reverse("jobs:invitations"), reps)
        results.append(Result("jobs:invitations (freelancer)", size, queries, times, PENDING_TAB))
    return results


def bench_referral_list(sizes, reps, pool, now):
    """A freelancer who made ``size`` referrals and was referred to ``size`` jobs."""
    from django.urls import reverse

    results = []
    for size in sizes:
        company = _company(approvals=False)
        manager = _member(company, hiring_manager=True)
        me = _freelancers(1)[0]
        jobs = _jobs(company, manager, 2 * size)
        made = [(job, me, pool[i % len(pool)]) for i, job in enumerate(jobs[:size])]
        received = [(job, pool[i % len(pool)], me) for i, job in enumerate(jobs[size:])]
        _referrals(made + received, now)
        queries, times = _measure_page(_client_for(me), reverse("referrals:list"), reps)
        results.append(Result("referrals:list (freelancer)", size, queries, times,
                              f"{size} made (20 a page) + {size} received (50 shown)"))
    return results


def bench_job_invitees(sizes, reps, pool, now):
    """A job with ``size`` invitees; every tenth invitee was referred by the one before."""
    from django.urls import reverse

    from jobs.models import Invite

    results = []
    for size in sizes:
        company = _company(approvals=False)
        manager = _member(company, hiring_manager=True)
        job = _jobs(company, manager, 1)[0]
        people = pool[:size]
        referred = {i for i in range(1, size) if i % 10 == 1}
        referrers = {i - 1 for i in referred}
        Invite.objects.bulk_create([
            Invite(job=job, freelancer=person, invited_by=manager, message="We would love to have you.")
            for i, person in enumerate(people) if i not in referred | referrers
        ], batch_size=1000)
        _referrals([(job, people[i - 1], people[i]) for i in sorted(referred)], now)
        queries, times = _measure_page(
            _client_for(manager), reverse("jobs:job_invitees", args=[job.pk]), reps
        )
        results.append(Result("jobs:job_invitees (client)", size, queries, times, "50 a page"))
    return results


def run_benchmarks(*, smoke: bool = False, reps: int | None = None, out=print) -> list[Result]:
    """Build the data and measure everything; returns the results (also printed through ``out``).

    Needs a configured Django on an empty or disposable database (the data it writes stays).
    """
    from django.utils import timezone

    mode = "smoke" if smoke else "full"
    page_reps = reps or REPS[mode]
    now = timezone.now()
    biggest = max(INVITE_SIZES[mode])
    pool = _freelancers(biggest)  # distinct freelancers: a job invites each one once
    started = time.perf_counter()
    results = []
    steps = [
        ("approvals:dashboard", lambda: bench_dashboard(DASHBOARD_SIZES[mode], page_reps, pool, now)),
        ("approvals:detail", lambda: bench_detail(TIMELINE_SIZES[mode], page_reps, pool, now)),
        ("expiry sweep", lambda: bench_sweep(
            SWEEP_SIZES[mode], SWEEP_REPS[mode], SWEEP_EMAIL_SAMPLE[mode], pool, now, SWEEP_BATCH[mode]
        )),
        ("offers:offer_list", lambda: bench_offer_list(OFFER_SIZES[mode], page_reps, pool, now)),
        ("jobs:invitations", lambda: bench_invitations(INVITE_SIZES[mode], page_reps, pool, now)),
        ("referrals:list", lambda: bench_referral_list(INVITE_SIZES[mode], page_reps, pool, now)),
        ("jobs:job_invitees", lambda: bench_job_invitees(INVITE_SIZES[mode], page_reps, pool, now)),
    ]
    for label, step in steps:
        step_start = time.perf_counter()
        results.extend(step())
        out(f"  measured {label} in {time.perf_counter() - step_start:.1f} s")
    out(f"  total {time.perf_counter() - started:.1f} s ({mode}: {page_reps} repetitions a page, "
        f"{SWEEP_REPS[mode]} of the sweep)")
    return results


def query_growth(results: list[Result]) -> dict[str, list[int]]:
    """Query counts by page, smallest size first: a page whose list is not flat grows with rows."""
    counts: dict[str, list[int]] = {}
    for result in sorted(results, key=lambda r: r.rows):
        if result.name in PAGES:
            counts.setdefault(result.name, []).append(result.queries)
    return counts


def format_table(results: list[Result]) -> str:
    header = ("measured", "rows", "queries", "median ms", "p95 ms", "n", "note")
    lines = [
        (r.name, f"{r.rows:,}", str(r.queries), f"{r.median_ms:.1f}", f"{r.p95_ms:.1f}",
         str(len(r.times)), r.note)
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header) - 1)]

    def fmt(row):
        numbers = zip(row[1:-1], widths[1:], strict=True)
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in numbers]
        return "  ".join([*cells, row[-1]])

    rule = "-" * (sum(widths) + 2 * len(widths) + len(header[-1]))
    table = [fmt(header), rule, *(fmt(line) for line in lines), rule]
    for name, counts in query_growth(results).items():
        flat = "flat" if len(set(counts)) == 1 else "GROWS WITH ROWS"
        table.append(f"queries {flat:>15}: {name}: {' -> '.join(map(str, counts))}")
    if ratio := sweep_ratio(results):
        table.append(ratio)
    return "\n".join(table)


# ---------------------------------------------------------------------------------------------
# Standalone run: configure Django on the benchmark database.


def _ensure_database(db: dict) -> None:
    """Create the benchmark database if it does not exist yet (from the maintenance database)."""
    import psycopg
    from psycopg import sql

    conn = psycopg.connect(
        dbname="postgres", user=db.get("USER") or None, password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None, port=db.get("PORT") or None, autocommit=True,
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    finally:
        conn.close()


def setup_django() -> None:
    """Settings, database (created, migrated, emptied) and apps for a standalone run."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        sys.exit(f"benchmarks need PostgreSQL; DATABASE_URL names {db['ENGINE']}")
    if "bench" not in db["NAME"]:
        sys.exit(f"benchmarks empty their database: DATABASE_URL must name one with 'bench' in it "
                 f"(got {db['NAME']!r}; the default is greenlight_bench)")
    _ensure_database(db)
    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # the same empty schema every run
    logging.getLogger("celery").setLevel(logging.WARNING)  # not a line per eager task
    logging.getLogger("greenlight").setLevel(logging.WARNING)  # nor one per transition or email
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # staticfiles not collected


def environment() -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    return (
        f"PostgreSQL {pg_version} (database {connection.settings_dict['NAME']}), "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"{os.cpu_count()} CPUs, {platform.platform()}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes, 1 repetition (proves it runs)")
    parser.add_argument("--reps", type=int, help="repetitions per page (default 25, 1 with --smoke)")
    args = parser.parse_args(argv)
    setup_django()
    print("Greenlight benchmarks")
    print(environment())
    print()
    results = run_benchmarks(smoke=args.smoke, reps=args.reps)
    print()
    print(format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
