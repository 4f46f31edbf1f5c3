"""The Referrals page's counts are kept as referrals and hires are written (ReferralTally,
referrals 0005): after every write path they equal the counts of the referrals themselves,
and the page reads them from one row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.models import Invite
from jobs.services import invite_accept, invite_mark_hired
from referrals.models import Referral, ReferralTally, ReferredPair
from referrals.selectors import counted_referrals, referral_counts
from referrals.services import referral_create
from tests.factories import beta_freelancer, client_job, direct_invite, freelancer

pytestmark = pytest.mark.django_db


def _refer(referrer, referred, job=None):
    original = direct_invite(referrer, job=job or client_job())
    return referral_create(invite_id=original.pk, referrer=referrer, referred=referred, reason="Busy")


def _assert_kept(*users):
    for user in users:
        assert referral_counts(user=user) == counted_referrals(user=user), user
    kept = {row.referrer_id: (row.referrals, row.referred, row.hired) for row in ReferralTally.objects.all()}
    assert {pk: counts for pk, counts in kept.items() if counts != (0, 0, 0)} == {
        user.pk: tuple(counted_referrals(user=user).values())
        for user in users if counted_referrals(user=user)["referrals"]
    }


def test_the_counts_follow_every_write_path():
    ada = beta_freelancer(user__full_name="Ada Referrer")
    bob = beta_freelancer(user__full_name="Bob Referrer")
    grace, linus = freelancer(), freelancer()
    _assert_kept(ada, bob)
    first = _refer(ada, grace)
    _assert_kept(ada, bob)
    assert referral_counts(user=ada) == {"referrals": 1, "referred": 1, "hired": 0}
    second = _refer(ada, grace)  # the same person to another job: one freelancer, two referrals
    _refer(ada, linus)
    _refer(bob, grace)
    _assert_kept(ada, bob)
    assert referral_counts(user=ada) == {"referrals": 3, "referred": 2, "hired": 0}
    # Grace accepts, then is hired through the first referral's job; the hire undone.
    invite_accept(invite_id=first.new_invite.pk, freelancer=grace)
    invite_mark_hired(job_id=first.job_id, freelancer_id=grace.pk)
    _assert_kept(ada, bob)
    assert referral_counts(user=ada)["hired"] == 1
    Invite.objects.filter(pk=first.new_invite_id).update(hired_at=None)
    _assert_kept(ada, bob)
    invite_mark_hired(job_id=first.job_id, freelancer_id=grace.pk)
    # Staff edit a referral: another person referred; a note alone changes nothing.
    Referral.objects.filter(pk=second.pk).update(referred=linus)
    Referral.objects.filter(pk=second.pk).update(note="Edited")
    _assert_kept(ada, bob)
    assert referral_counts(user=ada) == {"referrals": 3, "referred": 2, "hired": 1}
    # Deleted: one referral (and its hire), then a whole job with its invites and referrals.
    first.delete()
    _assert_kept(ada, bob)
    assert referral_counts(user=ada) == {"referrals": 2, "referred": 1, "hired": 0}
    second.job.delete()
    _assert_kept(ada, bob)
    assert referral_counts(user=ada) == {"referrals": 1, "referred": 1, "hired": 0}
    assert ReferredPair.objects.filter(referrer=ada, n__gt=0).count() == 1


def test_a_freelancer_who_never_referred_reads_zeros(client):
    ada = beta_freelancer()
    assert referral_counts(user=ada) == {"referrals": 0, "referred": 0, "hired": 0}
    client.force_login(ada)
    assert client.get(reverse("referrals:list")).status_code == 200


def test_the_page_reads_the_kept_row_not_the_referrals(client):
    ada = beta_freelancer()
    for _ in range(3):
        _refer(ada, freelancer())
    client.force_login(ada)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("referrals:list")).content.decode()
    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if "COUNT(" in sql.upper() and '"referrals_referral"' in sql]
    assert any('"referrals_referraltally"' in sql for sql in statements)
    assert "3" in page
