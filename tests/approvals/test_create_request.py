"""The Create Request form: prefill, validation, next redirect, notification, resubmit."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import ApprovalRequest, State
from tests.factories import JobFactory, approver, move_past_expiry

pytestmark = pytest.mark.django_db


def _form_data(team, **overrides):
    data = {
        "title": "Senior Django developer",
        "offer_type": "direct",
        "freelancer": team.freelancer.pk,
        "contract_type": "hourly",
        "amount": "95.50",
        "currency": "USD",
        "weekly_hour_limit": "30",
        "start_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "justification": "Billing backlog.",
        "approver": team.approver.pk,
    }
    data.update(overrides)
    return data


def test_manager_creates_a_request_and_the_approver_is_emailed(
    client, team, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(team.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("approvals:create"), _form_data(team))
    approval_request = ApprovalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:detail", args=[approval_request.pk])
    assert approval_request.requester == team.manager
    assert approval_request.approver == team.approver
    assert approval_request.company == team.company
    assert str(approval_request.amount) == "95.50"
    assert approval_request.state == State.PENDING
    assert [m.to for m in mailoutbox] == [["alan@acme.test"]]


def test_no_email_before_the_transaction_commits(client, team, mailoutbox):
    client.force_login(team.manager)
    client.post(reverse("approvals:create"), _form_data(team))
    assert ApprovalRequest.objects.count() == 1
    assert mailoutbox == []


def test_form_is_prefilled_from_query_parameters(client, team):
    job = JobFactory(company=team.company, title="Billing job")
    client.force_login(team.manager)
    response = client.get(reverse("approvals:create"), {
        "title": "From the offer", "job": job.pk, "freelancer": team.freelancer.pk,
        "amount": "70.00", "currency": "EUR", "contract_type": "fixed", "start_date": "2030-01-02",
        "justification": "Needed", "next": "/offers/new/?x=1",
    })
    form = response.context["form"]
    assert form["title"].value() == "From the offer"
    assert str(form["job"].value()) == str(job.pk)
    assert form["freelancer"].value() == {"id": team.freelancer.pk, "text": team.freelancer.full_name}
    assert form["amount"].value() == "70.00"
    assert form["currency"].value() == "EUR"
    assert form["contract_type"].value() == "fixed"
    assert form["start_date"].value() == "2030-01-02"
    page = response.content.decode()
    assert 'name="next" value="/offers/new/?x=1"' in page


def test_successful_create_returns_to_a_safe_next_url_with_the_request_id(client, team):
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), _form_data(team, next="/approvals/?tab=approved"))
    approval_request = ApprovalRequest.objects.get()
    url = urlsplit(response["Location"])
    assert url.path == "/approvals/"
    assert parse_qs(url.query) == {"tab": ["approved"], "approval_request": [str(approval_request.pk)]}
    page = client.get(response["Location"]).content.decode()
    assert "Approval requested from Alan Approver." in page


def test_unsafe_next_url_is_ignored(client, team):
    client.force_login(team.manager)
    response = client.post(
        reverse("approvals:create"), _form_data(team, next="https://evil.example/steal")
    )
    approval_request = ApprovalRequest.objects.get()
    assert response["Location"] == reverse("approvals:detail", args=[approval_request.pk])


def test_another_companys_job_is_refused_on_the_form(client, team):
    foreign_job = JobFactory(company=team.other_company)
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), _form_data(team, job=foreign_job.pk))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert ApprovalRequest.objects.count() == 0


def test_title_defaults_to_the_job_posts_title(client, team):
    job = JobFactory(company=team.company, title="Data pipeline engineer")
    client.force_login(team.manager)
    client.post(reverse("approvals:create"), _form_data(team, title="", job=job.pk))
    assert ApprovalRequest.objects.get().title == "Data pipeline engineer"


def test_byo_offer_needs_a_name_and_email_and_keeps_what_was_typed(client, team):
    client.force_login(team.manager)
    response = client.post(
        reverse("approvals:create"),
        _form_data(team, offer_type="byo", freelancer="", freelancer_name="", freelancer_email="",
                   justification="Keep me"),
    )
    page = response.content.decode()
    assert "Enter the name of the freelancer you bring." in page
    assert "Enter the email of the freelancer you bring." in page
    assert "Keep me" in page
    assert ApprovalRequest.objects.count() == 0


def test_byo_offer_is_created_with_name_and_email(client, team):
    client.force_login(team.manager)
    client.post(reverse("approvals:create"), _form_data(
        team, offer_type="byo", freelancer="", freelancer_name="Bob Byo",
        freelancer_email="Bob@Example.test",
    ))
    approval_request = ApprovalRequest.objects.get()
    assert approval_request.freelancer is None
    assert (approval_request.freelancer_name, approval_request.freelancer_email) == (
        "Bob Byo", "bob@example.test"
    )


def test_direct_offer_needs_a_marketplace_freelancer(client, team):
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), _form_data(team, freelancer=""))
    assert "Choose the freelancer from the marketplace." in response.content.decode()


def test_only_active_marketplace_freelancers_can_be_chosen(client, team):
    team.freelancer.is_active = False
    team.freelancer.save()
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), _form_data(team))
    assert "not an active freelancer on Greenlight" in response.content.decode()
    response = client.post(reverse("approvals:create"), _form_data(team, freelancer=team.member.pk))
    assert "not an active freelancer on Greenlight" in response.content.decode()
    assert team.member.full_name not in response.content.decode().split("<main")[1]
    assert ApprovalRequest.objects.count() == 0


@pytest.mark.parametrize("field, value, message", [
    ("amount", "0", "The amount must be more than zero."),
    ("amount", "abc", "Enter the amount as a number, like 85.00."),
    ("weekly_hour_limit", "", "Set a weekly hour limit for an hourly contract."),
    ("start_date", "2001-01-01", "The start date cannot be in the past."),
    ("approver", "", "This field is required."),
])
def test_bad_input_gets_a_clear_message(client, team, field, value, message):
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), _form_data(team, **{field: value}))
    assert message in response.content.decode()
    assert ApprovalRequest.objects.count() == 0


@pytest.mark.parametrize("overrides, message", [
    ({"weekly_hour_limit": "81"}, "The weekly limit must be between 1 and 80 hours."),
    ({"amount": "100000.01"}, "That is too much for an hourly rate: the maximum is 100,000."),
    ({"contract_type": "fixed", "amount": "10000000.01"},
     "That is too much for a fixed price: the maximum is 10,000,000."),
])
def test_terms_an_offer_could_never_carry_are_refused(client, team, overrides, message):
    """The offer form caps hours and amounts; an approval beyond them could never be used."""
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), _form_data(team, **overrides))
    assert message in response.content.decode()
    assert ApprovalRequest.objects.count() == 0


def test_terms_at_the_offer_limits_are_accepted(client, team):
    client.force_login(team.manager)
    client.post(reverse("approvals:create"), _form_data(team, weekly_hour_limit="80", amount="100000"))
    assert ApprovalRequest.objects.get().weekly_hour_limit == 80


def test_the_same_terms_twice_while_pending_are_refused_and_kept_on_the_form(client, team):
    client.force_login(team.manager)
    client.post(reverse("approvals:create"), _form_data(team))
    first = ApprovalRequest.objects.get()
    response = client.post(reverse("approvals:create"), _form_data(team, justification="Again."))
    page = response.content.decode()
    assert f"request #{first.pk} is pending" in page
    assert 'value="Senior Django developer"' in page and "Again." in page
    assert ApprovalRequest.objects.count() == 1


def test_the_same_terms_are_accepted_once_the_first_is_decided_or_with_other_terms(client, team):
    client.force_login(team.manager)
    client.post(reverse("approvals:create"), _form_data(team))
    client.post(reverse("approvals:create"), _form_data(team, amount="90.00"))
    assert ApprovalRequest.objects.count() == 2
    first = ApprovalRequest.objects.get(amount="95.50")
    services.approval_request_decline(approval_request_id=first.pk, actor=team.approver)
    client.post(reverse("approvals:create"), _form_data(team))
    assert ApprovalRequest.objects.count() == 3


def test_approver_choice_lists_company_approvers_without_the_requester(client, team):
    team.manager.membership.is_approver = True
    team.manager.membership.save()
    client.force_login(team.manager)
    form = client.get(reverse("approvals:create")).context["form"]
    assert list(form.fields["approver"].queryset) == [team.approver]
    assert form["approver"].value() == team.approver.pk  # the only one: preselected
    response = client.post(reverse("approvals:create"), _form_data(team, approver=team.manager.pk))
    assert "Select a valid choice" in response.content.decode()
    response = client.post(
        reverse("approvals:create"), _form_data(team, approver=team.outside_approver.pk)
    )
    assert "Select a valid choice" in response.content.decode()


def test_approver_is_not_preselected_when_there_are_several(client, team):
    approver(team.company)
    client.force_login(team.manager)
    form = client.get(reverse("approvals:create")).context["form"]
    assert form["approver"].value() is None


def test_company_without_another_approver_is_told_so(client, team):
    team.approver.membership.is_approver = False
    team.approver.membership.save()
    client.force_login(team.manager)
    page = client.get(reverse("approvals:create")).content.decode()
    assert "no other approver" in page


def test_dashboard_offers_create_request_to_managers(client, team):
    client.force_login(team.manager)
    assert "Create Request" in client.get(reverse("approvals:dashboard")).content.decode()
    client.force_login(team.approver)
    assert "Create Request" not in client.get(reverse("approvals:dashboard")).content.decode()


def test_requester_resubmits_a_declined_request_prefilled_and_linked(client, team, make_request):
    previous = make_request(title="Old title", amount="120.00")
    services.approval_request_decline(approval_request_id=previous.pk, actor=team.approver, comment="No")
    client.force_login(team.manager)
    form = client.get(reverse("approvals:resubmit", args=[previous.pk])).context["form"]
    assert form["title"].value() == "Old title"
    assert str(form["amount"].value()) == "120.00"
    response = client.post(
        reverse("approvals:resubmit", args=[previous.pk]), _form_data(team, title="Smaller scope")
    )
    resubmission = ApprovalRequest.objects.exclude(pk=previous.pk).get()
    assert response["Location"] == reverse("approvals:detail", args=[resubmission.pk])
    assert resubmission.resubmission_of == previous and resubmission.state == State.PENDING
    page = client.get(reverse("approvals:detail", args=[previous.pk])).content.decode()
    assert f"Resubmitted as <a href=\"/approvals/{resubmission.pk}/\">request #{resubmission.pk}</a>" in page


def test_expired_request_can_be_resubmitted(client, team, make_request):
    previous = move_past_expiry(make_request())
    services.approval_request_expire(approval_request_id=previous.pk)
    client.force_login(team.manager)
    assert client.get(reverse("approvals:resubmit", args=[previous.pk])).status_code == 200


@pytest.mark.parametrize("who", ["approver", "member", "outsider"])
def test_only_the_requester_can_resubmit(client, team, make_request, who):
    previous = make_request()
    services.approval_request_decline(approval_request_id=previous.pk, actor=team.approver)
    client.force_login(getattr(team, who))
    assert client.get(reverse("approvals:resubmit", args=[previous.pk])).status_code in (403, 404)


def test_pending_or_approved_request_cannot_be_resubmitted(client, team, make_request):
    pending = make_request()
    client.force_login(team.manager)
    assert client.get(reverse("approvals:resubmit", args=[pending.pk])).status_code == 404


def test_next_is_kept_through_a_failed_post(client, team):
    client.force_login(team.manager)
    response = client.post(
        reverse("approvals:create"), _form_data(team, amount="", next="/offers/new/?job=3")
    )
    assert 'name="next" value="/offers/new/?job=3"' in response.content.decode()


def test_every_resubmission_is_linked_newest_first(client, team, make_request):
    previous = make_request(title="Old title", amount="120.00")
    services.approval_request_decline(approval_request_id=previous.pk, actor=team.approver, comment="No")
    client.force_login(team.manager)
    for title in ("Smaller scope", "Smallest scope"):
        client.post(reverse("approvals:resubmit", args=[previous.pk]), _form_data(team, title=title))
    first, second = ApprovalRequest.objects.exclude(pk=previous.pk).order_by("pk")
    page = client.get(reverse("approvals:detail", args=[previous.pk])).content.decode()
    links = [f"request #{second.pk}</a>", f"request #{first.pk}</a>"]
    assert all(link in page for link in links)
    assert page.index(links[0]) < page.index(links[1])
