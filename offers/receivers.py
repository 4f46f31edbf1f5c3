"""How offers take part in the flows of the jobs app (see jobs.signals)."""

from django.dispatch import receiver

from jobs.signals import freelancers_engaged

from .models import Offer


@receiver(freelancers_engaged, dispatch_uid="offers.engaged_by_offer")
def engaged_by_offer(sender, *, job, freelancer_ids, **kwargs) -> dict[int, str]:
    """A freelancer with an offer for the job cannot be invited or referred to it again."""
    return {
        freelancer_id: "an offer"
        for freelancer_id in Offer.objects.filter(job=job, freelancer_id__in=freelancer_ids).values_list(
            "freelancer_id", flat=True
        )
    }
