from django.shortcuts import render

from accounts.decorators import freelancer_required


@freelancer_required
def referral_list(request):
    return render(request, "placeholder.html", {"title": "Referrals", "nav_key": "referrals"})
