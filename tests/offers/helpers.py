"""Form data for the offer pages, as a browser would post it."""

import datetime

from django.utils import timezone


def offer_post(*, freelancer=None, approval=None, **overrides) -> dict:
    data = {
        "approval_request": approval.pk if approval else "",
        "offer_type": "direct",
        "title": "Senior Django developer",
        "job": "",
        "freelancer": freelancer.pk if freelancer else "",
        "freelancer_name": "",
        "freelancer_email": "",
        "contract_type": "hourly",
        "amount": "85.00",
        "currency": "USD",
        "weekly_hour_limit": "30",
        "start_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "message": "Welcome aboard.",
    }
    if approval is not None:
        data.update({
            "offer_type": approval.offer_type,
            "title": approval.title,
            "contract_type": approval.contract_type,
            "amount": str(approval.amount),
            "currency": approval.currency,
            "weekly_hour_limit": str(approval.weekly_hour_limit or ""),
            "start_date": approval.start_date.isoformat(),
        })
    data.update({key: "" if value is None else value for key, value in overrides.items()})
    return data


def modify_post(offer, **overrides) -> dict:
    data = {
        "title": offer.title,
        "contract_type": offer.contract_type,
        "amount": str(offer.amount),
        "currency": offer.currency,
        "weekly_hour_limit": str(offer.weekly_hour_limit or ""),
        "start_date": offer.start_date.isoformat(),
        "message": offer.message,
    }
    data.update({key: "" if value is None else value for key, value in overrides.items()})
    return {f"modify-{key}": value for key, value in data.items()}


def lapse(approval_request) -> None:
    """Simulate time passing: the request's validity ended an hour ago (the sweep has not run)."""
    from approvals.models import ApprovalRequest

    ApprovalRequest.objects.filter(pk=approval_request.pk).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
