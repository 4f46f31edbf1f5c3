"""Demo job posts (a few open ones per company) and a Globex offer that needs no approval.

Offers backed by Acme approvals are seeded by approvals.demo, which runs after this.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Company, User

from .models import Job, Offer, OfferRevision

JOBS = [
    ("Acme Corp", "manager@acme.test", "Django developer for billing platform",
     "Python, Django, PostgreSQL", "hourly", "85.00"),
    ("Acme Corp", "manager@acme.test", "Data pipeline engineer",
     "Python, Airflow, SQL", "hourly", "90.00"),
    ("Acme Corp", "manager@acme.test", "Mobile app security audit",
     "Security, iOS, Android", "fixed", "6000.00"),
    ("Globex", "manager@globex.test", "Compiler optimisation consultant",
     "Compilers, C, LLVM", "hourly", "120.00"),
    ("Globex", "manager@globex.test", "Technical writer for API docs",
     "Writing, REST, Markdown", "fixed", "2500.00"),
]


def seed():
    for company_name, poster_email, title, skills, contract_type, budget in JOBS:
        company = Company.objects.get(name=company_name)
        Job.objects.get_or_create(
            company=company,
            title=title,
            defaults={
                "posted_by": User.objects.get(email=poster_email),
                "description": f"{title}. We are looking for someone experienced in {skills}.",
                "skills": skills,
                "contract_type": contract_type,
                "budget_amount": Decimal(budget),
            },
        )
    _seed_globex_offer()


def _seed_globex_offer():
    """Globex (no approvals) has sent Grace Hopper an offer for its compiler job."""
    company = Company.objects.get(name="Globex")
    grace = User.objects.get(email="grace@freelancers.test")
    job = Job.objects.get(company=company, title="Compiler optimisation consultant")
    terms = {
        "title": "Compiler optimisation consultant",
        "contract_type": "hourly",
        "amount": Decimal("120.00"),
        "currency": "USD",
        "weekly_hour_limit": 20,
        "start_date": timezone.localdate() + datetime.timedelta(days=14),
        "message": "We loved your work on compilers. Could you start in two weeks?",
    }
    manager = User.objects.get(email="manager@globex.test")
    offer, created = Offer.objects.get_or_create(
        company=company, job=job, freelancer=grace,
        defaults={"created_by": manager, "offer_type": "direct", **terms},
    )
    if created:
        OfferRevision.objects.create(offer=offer, number=1, created_by=manager, **terms)
