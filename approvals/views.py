from django.shortcuts import render

from accounts.decorators import client_required


@client_required
def dashboard(request):
    return render(request, "placeholder.html", {"title": "Approvals", "nav_key": "approvals"})
