"""Find Work cards open the job: its public page for freelancers, 404 once closed."""

import pytest
from django.urls import reverse

from jobs.models import Job
from tests.factories import client_job, freelancer, hiring_manager

pytestmark = pytest.mark.django_db


def test_find_work_card_links_to_the_jobs_page(client):
    job = client_job(title="Compiler work")
    client.force_login(freelancer())
    page = client.get(reverse("jobs:find_work")).content.decode()
    url = reverse("jobs:job_for_freelancer", args=[job.pk])
    assert url == f"/find-work/{job.pk}/"
    assert f'<a href="{url}">Compiler work</a>' in page


def test_freelancer_sees_an_open_jobs_public_details(client):
    job = client_job(title="Compiler work", skills="Rust, LLVM", description="Speed up the build.")
    job.company.name = "Initech"
    job.company.save()
    client.force_login(freelancer())
    response = client.get(reverse("jobs:job_for_freelancer", args=[job.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Compiler work", "Initech", "75.00 USD/h", '<span class="chip">Rust</span>',
                 '<span class="chip">LLVM</span>', "Speed up the build.", "Find Work"):
        assert text in page, text
    # Public details only: nothing of the client's own settings.
    assert "Direct invite limit" not in page


@pytest.mark.parametrize("job_state", ["closed", "unknown"])
def test_closed_or_unknown_job_is_404(client, job_state):
    job = client_job()
    if job_state == "closed":
        job.status = Job.Status.CLOSED
        job.save()
        job_id = job.pk
    else:
        job_id = job.pk + 1000
    client.force_login(freelancer())
    assert client.get(reverse("jobs:job_for_freelancer", args=[job_id])).status_code == 404


def test_the_job_page_is_for_freelancers(client):
    job = client_job()
    client.force_login(hiring_manager())
    assert client.get(reverse("jobs:job_for_freelancer", args=[job.pk])).status_code == 404
