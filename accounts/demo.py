"""Demo people and companies. Every function is idempotent: it finds before it creates."""

from decimal import Decimal

from .models import Company, ConnectsLedgerEntry, FreelancerProfile, Membership, User
from .services import connects_change

DEMO_PASSWORD = "greenlight-demo"

COMPANIES = [
    {"name": "Acme Corp", "is_enterprise": True, "approvals_enabled": True},
    {"name": "Globex", "is_enterprise": False, "approvals_enabled": False},
    # A two-step approval chain (approvals.demo gives it its policy).
    {"name": "Initech", "is_enterprise": True, "approvals_enabled": True},
]

MEMBERS = [
    ("manager@acme.test", "Maria Manager", "Acme Corp", True, False),
    ("approver@acme.test", "Alan Approver", "Acme Corp", False, True),
    ("approver2@acme.test", "Beatrice Approver", "Acme Corp", False, True),
    ("manager@globex.test", "Gus Globex", "Globex", True, False),
    ("manager@initech.test", "Irene Manager", "Initech", True, False),
    ("lead@initech.test", "Leo Lead", "Initech", False, True),
    ("cfo@initech.test", "Cora Cfo", "Initech", False, True),
    ("controller@initech.test", "Carl Controller", "Initech", False, True),
]

FREELANCERS = [
    ("ada@freelancers.test", "Ada Lovelace", "Analytical engine programmer",
     "Python, Algorithms, Mathematics", "95.00", 60),
    ("grace@freelancers.test", "Grace Hopper", "Compiler engineer",
     "COBOL, Compilers, Python, Django", "120.00", 40),
    ("linus@freelancers.test", "Linus Torvalds", "Kernel developer",
     "C, Linux, Git", "110.00", 30),
    ("margaret@freelancers.test", "Margaret Hamilton", "Flight software lead",
     "Embedded, Reliability, Python", "130.00", 50),
]


def _user(email, full_name, **extra):
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed():
    companies = {}
    for data in COMPANIES:
        company, _ = Company.objects.get_or_create(name=data["name"], defaults=data)
        companies[company.name] = company
    for email, name, company_name, manager, approver in MEMBERS:
        user = _user(email, name)
        Membership.objects.get_or_create(
            user=user,
            defaults={
                "company": companies[company_name],
                "is_hiring_manager": manager,
                "is_approver": approver,
            },
        )
    for email, name, title, skills, rate, connects in FREELANCERS:
        user = _user(email, name)
        _, created = FreelancerProfile.objects.get_or_create(
            user=user, defaults={"title": title, "skills": skills, "hourly_rate": Decimal(rate)},
        )
        if created:
            connects_change(
                user_id=user.pk, change=connects, reason=ConnectsLedgerEntry.Reason.PURCHASE,
                reference="demo:opening", description="Demo data: starting Connects",
            )
    admin = _user("admin@greenlight.test", "Greenlight Admin", is_staff=True, is_superuser=True)
    return {"companies": companies, "admin": admin}
