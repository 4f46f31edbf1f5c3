"""A freelancer outside the referral beta is told why the Referrals tab is empty."""

import pytest
from django.urls import reverse

from tests.factories import freelancer, set_referral_settings

pytestmark = pytest.mark.django_db
WHY = "Referrals are in beta and not open to your account yet. Invites referred to you still show below."


def test_outside_the_beta_the_referrals_tab_says_why(client):
    set_referral_settings(rollout_percentage=0)
    client.force_login(freelancer())
    page = client.get(reverse("referrals:list")).content.decode()
    assert WHY in page and "Jobs referred to you" in page


def test_inside_the_beta_no_such_notice(client):
    set_referral_settings(rollout_percentage=100)
    client.force_login(freelancer())
    page = client.get(reverse("referrals:list")).content.decode()
    assert WHY not in page and "Referrals beta:" in page
