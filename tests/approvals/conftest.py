from types import SimpleNamespace

import pytest

from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    UserFactory,
    approver,
    freelancer,
    hiring_manager,
    pending_request,
)


@pytest.fixture
def team(db):
    """One company with a hiring manager, an approver, a member without roles; and a
    hiring manager + approver of another company."""
    company = CompanyFactory(name="Acme Test")
    other_company = CompanyFactory(name="Other Test")
    member = UserFactory(full_name="Mo Member")
    MembershipFactory(user=member, company=company)
    return SimpleNamespace(
        company=company,
        manager=hiring_manager(company, full_name="Maria Manager", email="maria@acme.test"),
        approver=approver(company, full_name="Alan Approver", email="alan@acme.test"),
        member=member,
        other_company=other_company,
        outsider=hiring_manager(other_company, full_name="Olga Outsider"),
        outside_approver=approver(other_company, full_name="Oscar Outside"),
        freelancer=freelancer(user__full_name="Ada Lovelace", user__email="ada@free.test"),
    )


@pytest.fixture
def make_request(team):
    def _make(**kwargs):
        kwargs.setdefault("company", team.company)
        kwargs.setdefault("requester", team.manager)
        kwargs.setdefault("approver", team.approver)
        kwargs.setdefault("freelancer", team.freelancer)
        return pending_request(**kwargs)

    return _make

