import pytest

from tests.factories import CompanyFactory, approved_request, approver, freelancer, hiring_manager


@pytest.fixture
def company():
    """An enterprise company with approvals enabled."""
    return CompanyFactory(name="Acme Test")


@pytest.fixture
def manager(company):
    return hiring_manager(company, full_name="Maria Manager", email="maria@acme.test")


@pytest.fixture
def boss(company):
    return approver(company, full_name="Alan Approver", email="alan@acme.test")


@pytest.fixture
def talent():
    return freelancer(user__full_name="Ada Lovelace", user__email="ada@example.test")


@pytest.fixture
def approval(company, manager, boss, talent):
    """The manager's approved request to offer Ada an hourly contract."""
    return approved_request(company=company, requester=manager, approver=boss, freelancer=talent)


@pytest.fixture
def open_company():
    """A company without approvals."""
    return CompanyFactory(name="Globex Test", is_enterprise=False, approvals_enabled=False)


@pytest.fixture
def open_manager(open_company):
    return hiring_manager(open_company, full_name="Gus Globex", email="gus@globex.test")
