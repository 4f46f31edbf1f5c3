"""The busy lists (the offer list, the freelancer's invitations, referrals and offers, the inbox):
the same queries with 1 row or 500, each list served by an index in its own order, and the
index-backed queries return the same rows as PostgreSQL's plain scan of the table."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from accounts.selectors import notifications_for
from jobs.models import Invite, Job
from jobs.selectors import invite_counts_for_freelancer, invites_for_freelancer
from offers.models import Offer
from offers.selectors import offers_for_company, offers_for_freelancer
from referrals.models import Referral
from referrals.selectors import invites_referred_to, referral_counts, referrals_made_by
from tests.factories import CompanyFactory, UserFactory, beta_freelancer, freelancer, hiring_manager
from tests.plans import plan as plan_of

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _at(i: int) -> datetime.datetime:
    # Pairs of rows share a time, so the lists' tie-break on id is exercised too.
    return NOW - datetime.timedelta(minutes=i // 2)


def _offers(*, company, manager, talent, count: int) -> None:
    states = ["sent", "accepted", "declined", "withdrawn"]
    Offer.objects.bulk_create(
        Offer(
            company=company, created_by=manager, freelancer=talent, title=f"Offer {i}", offer_type="direct",
            contract_type="hourly", amount=50 + i, currency="USD", weekly_hour_limit=30,
            start_date=NOW.date(), state=states[i % 4], sent_at=_at(i),
        )
        for i in range(count)
    )


def _jobs(company, manager, count: int) -> list[Job]:
    return Job.objects.bulk_create(
        Job(company=company, posted_by=manager, title=f"Job {i}", description="Django", skills="Python",
            contract_type="hourly", budget_amount=60)
        for i in range(count)
    )


def _invites_and_referrals(*, talent, count: int) -> None:
    """``count`` invites to ``talent`` in every state, a third of them referred to them, and
    ``count`` referrals ``talent`` made."""
    company = CompanyFactory()
    manager = hiring_manager(company=company)
    jobs = _jobs(company, manager, count)
    other, referrer = freelancer(), freelancer()
    states = ["pending", "accepted", "declined"]
    received = Invite.objects.bulk_create(
        Invite(job=job, freelancer=talent, invited_by=manager, state=states[i % 3],
               source="referral" if i % 3 == 0 else "direct")
        for i, job in enumerate(jobs)
    )
    originals = Invite.objects.bulk_create(
        Invite(job=job, freelancer=referrer, invited_by=manager, state="declined") for job in jobs
    )
    Referral.objects.bulk_create(
        Referral(job=invite.job, referrer=referrer, referred=talent, original_invite=original,
                 new_invite=invite)
        for invite, original in zip(received, originals, strict=True) if invite.source == "referral"
    )
    declined = Invite.objects.bulk_create(
        Invite(job=job, freelancer=talent, invited_by=manager, state="declined")
        for job in _jobs(company, manager, count)
    )
    new = Invite.objects.bulk_create(
        Invite(job=invite.job, freelancer=other, invited_by=manager, source="referral") for invite in declined
    )
    Referral.objects.bulk_create(
        Referral(job=invite.job, referrer=talent, referred=other, original_invite=invite, new_invite=made)
        for invite, made in zip(declined, new, strict=True)
    )
    for i, table in enumerate(["jobs_invite", "referrals_referral"]):
        with connection.cursor() as cursor:  # spread the times (auto_now_add set them all to now)
            cursor.execute(
                f"UPDATE {table} SET created_at = now() - (id / 2 + %s) * interval '1 minute'", [i]
            )


def _notifications(recipient, count: int) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=recipient, key=f"scale:{recipient.pk}:{i}",
                     kind=Notification.Kind.APPROVAL_NEW,
                     title=f"Entry {i}", link="/", email_state=Notification.EmailState.SKIPPED,
                     created_at=_at(i), read_at=NOW if i % 2 else None)
        for i in range(count)
    )


def _queries(client, url):
    """The queries of a render of the page, and the response."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("page", ["offer list", "invitations", "referrals", "freelancer offers", "inbox"])
def test_each_busy_page_runs_the_same_queries_for_1_or_500_rows(client, page):
    def build(count):
        company = CompanyFactory(approvals_enabled=False)
        manager = hiring_manager(company=company)
        talent = beta_freelancer()
        _offers(company=company, manager=manager, talent=talent, count=count)
        _invites_and_referrals(talent=talent, count=count)
        _notifications(talent, count)
        _notifications(manager, count)
        return manager if page == "offer list" else talent

    url = {
        "offer list": reverse("offers:offer_list"), "invitations": reverse("jobs:invitations"),
        "referrals": reverse("referrals:list"), "freelancer offers": reverse("offers:freelancer_offers"),
        "inbox": reverse("notifications:list"),
    }[page]
    client.force_login(build(1))
    one, _ = _queries(client, url)
    client.force_login(build(500))
    many, response = _queries(client, url)
    assert many == one
    assert len(response.context["page"].object_list) == 20
    assert response.context["page"].has_next()


def _rows(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


def _plain(read):
    """What ``read`` returns when PostgreSQL may not use any index (a scan of the table and a sort)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        return read()


@pytest.fixture
def scale():
    company = CompanyFactory(approvals_enabled=False)
    manager = hiring_manager(company=company)
    talent = beta_freelancer()
    _offers(company=company, manager=manager, talent=talent, count=120)
    Offer.objects.bulk_create(  # a BYO offer to the freelancer's email before they had an account
        Offer(company=company, created_by=manager, freelancer=None, freelancer_email=talent.email.upper(),
              freelancer_name="Before signing up", title="BYO", offer_type="byo", contract_type="fixed",
              amount=900, currency="USD", start_date=NOW.date(), sent_at=NOW)
        for _ in range(1)
    )
    _offers(company=CompanyFactory(), manager=UserFactory(), talent=freelancer(), count=30)  # not theirs
    _invites_and_referrals(talent=talent, count=90)
    _invites_and_referrals(talent=freelancer(), count=10)  # not theirs
    _notifications(talent, 120)
    _notifications(manager, 30)
    return manager, talent


def test_the_index_backed_lists_return_the_same_rows_as_a_plain_scan(scale):
    manager, talent = scale
    reads = {
        **{f"offers {tab}": (lambda tab=tab: _rows(offers_for_company(user=manager, tab=tab)[0]))
           for tab in ("sent", "accepted", "all")},
        "offer counts": lambda: offers_for_company(user=manager)[1],
        "freelancer offers": lambda: _rows(offers_for_freelancer(user=talent)[0]),
        "freelancer offer counts": lambda: offers_for_freelancer(user=talent)[1],
        **{f"invites {state}": (lambda state=state: _rows(invites_for_freelancer(user=talent, state=state)))
           for state in ("pending", "accepted", "declined")},
        "invite counts": lambda: invite_counts_for_freelancer(user=talent),
        "referrals made": lambda: _rows(referrals_made_by(user=talent)),
        "referral counts": lambda: referral_counts(user=talent),
        "referred to": lambda: _rows(invites_referred_to(user=talent)),
        "inbox": lambda: _rows(notifications_for(user=talent)),
    }
    for name, read in reads.items():
        assert read() == _plain(read), name
    assert len(reads["freelancer offers"]()) == 121  # the BYO offer to their email is there
    assert reads["invite counts"]() == {"pending": 30, "accepted": 30, "declined": 120}
    assert reads["referral counts"]()["referrals"] == 90


def test_each_list_is_read_from_its_index_in_its_own_order(scale):
    manager, talent = scale
    plans = {
        "offer_company_state_idx": offers_for_company(user=manager, tab="sent")[0],
        "invite_freelancer_state_idx": invites_for_freelancer(user=talent, state="pending"),
        "invite_by_source_idx": invites_referred_to(user=talent),
        "referral_referrer_newest_idx": referrals_made_by(user=talent),
        "notification_inbox_idx": notifications_for(user=talent),
    }
    for index, queryset in plans.items():
        plan = plan_of(queryset[:21])
        assert index in plan, plan
        assert "Sort" not in plan, plan  # the index gives the order: the first page reads 21 entries


def test_the_referred_to_list_uses_its_index_in_a_prepared_statements_genericplan(scale):
    """Its source is a parameter: a partial index on source = 'referral' (as it was) is out of a
    generic plan, which read every invite of the freelancer and sorted them (2 ms at a million)."""
    _, talent = scale
    plan = plan_of(invites_referred_to(user=talent)[:21], generic=True)
    assert "invite_by_source_idx" in plan and "$1" in plan, plan


def test_a_freelancers_tab_count_reads_only_that_states_entries_of_its_index(scale):
    """The freelancer's offer tabs are counted from (freelancer, state): at a million requests the
    busiest freelancer's five counts each walked all 376 of their offers, 0.9 ms; now 0.6 ms."""
    _, talent = scale
    _offers(company=CompanyFactory(), manager=UserFactory(), talent=freelancer(), count=600)  # others'
    offers, _ = offers_for_freelancer(user=talent, tab="sent")
    plan = plan_of(offers.order_by().values("pk")[:1001])
    assert "offer_freelancer_state_idx" in plan, plan
