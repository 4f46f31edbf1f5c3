"""Every time of day on a page names its zone: UTC for a reader in UTC, the default (see
tests/approvals/test_local_time.py for readers elsewhere)."""

import re

import pytest
from django.urls import reverse

from tests.factories import InviteFactory, JobFactory, OfferFactory

pytestmark = pytest.mark.django_db
TIME_OF_DAY = re.compile(r"\d{4} \d\d:\d\d(?! UTC)")


def test_offer_and_invite_pages_give_times_in_utc(client, open_company, open_manager, talent):
    offer = OfferFactory(company=open_company, created_by=open_manager, freelancer=talent)
    invite = InviteFactory(job=JobFactory(company=open_company, posted_by=open_manager), freelancer=talent)
    client.force_login(talent)
    pages = [reverse("offers:offer_detail", args=[offer.pk]),
             reverse("jobs:invite_detail", args=[invite.pk])]
    for url in pages:
        html = client.get(url).content.decode()
        assert " UTC" in html and not TIME_OF_DAY.search(html), url
