"""The invitees page offers "Invite a freelancer" exactly when jobs.rules.can_invite allows it."""

import pytest
from django.urls import reverse

from jobs.models import Job
from tests.factories import JobFactory, approver

pytestmark = pytest.mark.django_db


def test_invite_is_offered_to_hiring_managers_while_the_job_is_open(client, open_company, open_manager):
    job = JobFactory(company=open_company, posted_by=open_manager, title="Data engineer")
    url = reverse("jobs:job_invitees", args=[job.pk])
    client.force_login(open_manager)
    assert "Invite a freelancer" in client.get(url).content.decode()

    Job.objects.filter(pk=job.pk).update(status=Job.Status.CLOSED)
    page = client.get(url).content.decode()
    assert "Data engineer" in page and "Invite a freelancer" not in page

    client.force_login(approver(open_company))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.OPEN)
    page = client.get(url).content.decode()
    assert "Data engineer" in page and "Invite a freelancer" not in page
