"""Every state change of an approval request, offer or invite is one structured log line."""

import pytest

from jobs.services import invite_accept
from offers.services import offer_send, offer_withdraw
from tests.factories import direct_invite, freelancer, offer_terms

pytestmark = pytest.mark.django_db


def _lines(caplog, logger):
    return [r.getMessage() for r in caplog.records if r.name == logger]


def test_an_offer_sent_and_withdrawn_logs_each_transition_and_its_approval(manager, approval, caplog):
    with caplog.at_level("INFO", logger="greenlight"):
        offer = offer_send(sent_by=manager, **offer_terms(approval))
        offer_withdraw(offer_id=offer.pk, withdrawn_by=manager)
    assert _lines(caplog, "greenlight.offer") == [
        f"event=offer.transition object=offer:{offer.pk} actor={manager.pk} from=none to=sent outcome=ok",
        f"event=offer.transition object=offer:{offer.pk} actor={manager.pk} from=sent to=withdrawn "
        "outcome=ok",
    ]
    assert _lines(caplog, "greenlight.approval") == [
        f"event=approval.transition object=approval_request:{approval.pk} actor={manager.pk} "
        "from=approved to=consumed outcome=ok",
        f"event=approval.transition object=approval_request:{approval.pk} actor={manager.pk} "
        "from=consumed to=approved outcome=ok",
    ]


def test_an_accepted_invite_logs_its_transition(caplog):
    invite = direct_invite(freelancer(connects_balance=20))
    with caplog.at_level("INFO", logger="greenlight"):
        invite_accept(invite_id=invite.pk, freelancer=invite.freelancer)
    assert _lines(caplog, "greenlight.invite") == [
        f"event=invite.transition object=invite:{invite.pk} actor={invite.freelancer.pk} "
        "from=pending to=accepted outcome=ok",
    ]
