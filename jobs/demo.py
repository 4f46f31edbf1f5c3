"""Demo job posts: a few open ones per company. Idempotent: keyed by title per company."""

from decimal import Decimal

from accounts.models import Company, User

from .models import Job

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
