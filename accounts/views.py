from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse

from .forms import SignInForm
from .urls_safety import safe_next_path


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        """Only a path on this site: a bare word would be taken for a relative URL."""
        name = self.redirect_field_name
        return safe_next_path(self.request.POST.get(name, self.request.GET.get(name)))


def home(request):
    """Send each person to the page they use most."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.is_client:
        if user.membership.company.approvals_enabled:
            return redirect("approvals:dashboard")
        return redirect("offers:offer_list")
    if user.is_freelancer:
        return redirect("jobs:invitations")
    if user.is_staff:
        return redirect(reverse("admin:index"))
    return redirect("accounts:login")
