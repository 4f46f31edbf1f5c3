import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from accounts.models import Company, FreelancerProfile, Membership, User
from jobs.models import Job

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_documented_logins_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (User.objects.count(), Job.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), Job.objects.count(), Membership.objects.count()) == counts

    acme = Company.objects.get(name="Acme Corp")
    globex = Company.objects.get(name="Globex")
    assert acme.approvals_enabled and not globex.approvals_enabled
    assert Membership.objects.get(user__email="manager@acme.test").is_hiring_manager
    assert Membership.objects.get(user__email="approver@acme.test").is_approver
    assert Membership.objects.get(user__email="approver2@acme.test").is_approver
    assert Membership.objects.get(user__email="manager@globex.test", company=globex)
    for name in ["ada", "grace", "linus", "margaret"]:
        profile = FreelancerProfile.objects.get(user__email=f"{name}@freelancers.test")
        assert profile.title and profile.skills and profile.connects_balance > 0
    assert User.objects.get(email="admin@greenlight.test").is_superuser
    assert Job.objects.filter(company=acme, status="open").count() >= 2
    assert Job.objects.filter(company=globex, status="open").count() >= 2
    # The sign-in throttle sees every attempt's request, so authenticate needs one.
    sign_in = RequestFactory().post("/accounts/login/")
    assert authenticate(sign_in, email="manager@acme.test", password="greenlight-demo")
