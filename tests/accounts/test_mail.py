import pytest

from accounts.mail import send_once
from accounts.models import SentEmail

pytestmark = pytest.mark.django_db


def test_send_once_sends_text_and_html_once_per_key(mailoutbox):
    args = {"key": "welcome:1", "template": "emails/test-welcome", "to": ["ada@example.test"],
            "context": {"name": "Ada"}}
    assert send_once(**args) is True
    assert send_once(**args) is False
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ada@example.test"]
    assert message.subject == "Welcome, Ada"
    assert "Hello Ada" in message.body
    assert "<strong>Ada</strong>" in message.alternatives[0][0]
    record = SentEmail.objects.get(key="welcome:1")
    assert record.sent_at is not None and record.subject == "Welcome, Ada"


def test_provider_message_ids_are_recorded_for_every_email(mailoutbox):
    """anymail's test backend gives integer ids; the first is 0 and must still be recorded."""
    for n in range(3):
        assert send_once(key=f"welcome:{n}", template="emails/test-welcome",
                         to=[f"user{n}@example.test"], context={"name": "Ada"})
    assert len(mailoutbox) == 3
    ids = list(SentEmail.objects.order_by("key").values_list("message_id", flat=True))
    assert ids == ["0", "1", "2"]


def test_an_email_to_several_recipients_is_sent_once_and_recorded(mailoutbox):
    send_once(key="team", template="emails/test-welcome",
              to=["a@example.test", "b@example.test"], context={"name": "Team"})
    record = SentEmail.objects.get(key="team")
    assert record.sent_at is not None and record.message_id == "0"
