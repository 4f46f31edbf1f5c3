from django.shortcuts import render

from accounts.decorators import freelancer_required


@freelancer_required
def invitations(request):
    return render(request, "placeholder.html", {"title": "Invitations", "nav_key": "invitations"})
