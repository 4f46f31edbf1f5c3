"""Email subjects are plain text: what people typed reads as typed ("R&D", "O'Brien"), never
HTML-escaped ("R&amp;D", "O&#x27;Brien"); the HTML body still escapes it."""

import pytest
from django.utils import timezone

from approvals import services
from tests.factories import freelancer

pytestmark = pytest.mark.django_db


def test_new_request_subject_is_not_html_escaped(team, mailoutbox, django_capture_on_commit_callbacks):
    talent = freelancer(user__full_name="Pat O'Brien")
    with django_capture_on_commit_callbacks(execute=True):
        services.approval_request_create(
            requester=team.manager, approver=team.approver, title="R&D <lead>",
            amount="95.00", start_date=timezone.localdate(), freelancer=talent, weekly_hour_limit=25,
        )
    message = mailoutbox[0]
    assert message.subject == "Approval needed: R&D <lead> for Pat O'Brien"
    assert "R&amp;D &lt;lead&gt;" in message.alternatives[0][0]
