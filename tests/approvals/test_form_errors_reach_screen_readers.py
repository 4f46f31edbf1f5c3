"""The request form's help and errors are tied to their fields, and summed up at the top."""

import pytest
from django.urls import reverse

from tests.a11y import describedby_ids_missing, elements

pytestmark = pytest.mark.django_db


def _by_id(html, element_id):
    return next(attrs for _, attrs in elements(html) if attrs.get("id") == element_id)


def test_every_help_and_error_an_input_points_to_is_on_the_page(client, team):
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), {"title": "", "amount": "-5", "justification": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    amount = _by_id(html, "id_amount")
    assert amount["aria-describedby"] == "id_amount_helptext id_amount_error"
    assert 'id="id_amount_error"' in html and 'id="id_amount_helptext"' in html
    assert _by_id(html, "id_justification")["aria-describedby"] == "id_justification_helptext"
    assert describedby_ids_missing(html) == set()


def test_invalid_inputs_say_so_and_valid_ones_do_not(client, team):
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), {"title": "", "justification": "Backlog"})
    html = response.content.decode()
    assert _by_id(html, "id_title")["aria-invalid"] == "true"
    assert _by_id(html, "id_start_date")["aria-invalid"] == "true"
    assert "aria-invalid" not in _by_id(html, "id_justification")


def test_errors_are_summed_up_at_the_top_with_a_link_to_each_field(client, team):
    client.force_login(team.manager)
    response = client.post(reverse("approvals:create"), {"title": "", "justification": "Backlog"})
    html = response.content.decode()
    start = html.index('class="error-summary"')
    assert start < html.index('id="id_title"')
    assert 'role="alert" tabindex="-1"' in html[start:start + 100]
    assert "There is a problem" in html[start:]
    assert '<a href="#id_start_date">Start date: This field is required.</a>' in html
    assert '<a href="#id_approver">' in html
    assert '<a href="#id_justification">' not in html


def test_a_problem_with_no_field_is_in_the_summary(client, team, make_request):
    from approvals.models import ApprovalRequest

    client.force_login(team.manager)
    existing = make_request()
    data = {
        "title": existing.title, "offer_type": existing.offer_type, "freelancer": team.freelancer.pk,
        "contract_type": existing.contract_type, "amount": str(existing.amount),
        "currency": existing.currency, "weekly_hour_limit": existing.weekly_hour_limit or "",
        "start_date": existing.start_date.isoformat(), "approver": team.approver.pk,
    }
    response = client.post(reverse("approvals:create"), data)
    html = response.content.decode()
    assert ApprovalRequest.objects.count() == 1
    start = html.index('class="error-summary"')
    assert "There is a problem" in html[start:]
    assert "already" in html[start:html.index("</ul>", start)]


def test_the_decision_comment_help_is_tied_to_its_field(client, team, make_request):
    approval_request = make_request()
    client.force_login(team.approver)
    response = client.get(reverse("approvals:detail", args=[approval_request.pk]))
    html = response.content.decode()
    comment = _by_id(html, "id_comment")
    assert comment["aria-describedby"] == "id_comment_helptext"
    assert 'id="id_comment_helptext">Optional. The hiring manager sees it.</small>' in html
    assert '<label for="id_comment">Comment (optional)</label>' in html
    assert describedby_ids_missing(html) == set()
