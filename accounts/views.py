from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from .forms import SignInForm, TimeZoneForm
from .services import user_time_zone_guess, user_time_zone_save
from .urls_safety import safe_next_path


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        """Only a path on this site: a bare word would be taken for a relative URL."""
        name = self.redirect_field_name
        return safe_next_path(self.request.POST.get(name, self.request.GET.get(name)))

    def form_valid(self, form):
        response = super().form_valid(form)
        user_time_zone_guess(user=form.get_user(), time_zone=form.cleaned_data.get("time_zone") or "")
        return response


@login_required
def time_zone_settings(request):
    """The zone the person reads times in; choosing one here stops the sign-in guess."""
    form = TimeZoneForm(request.POST or None, initial={"time_zone": request.user.time_zone})
    if request.method == "POST" and form.is_valid():
        user_time_zone_save(user=request.user, time_zone=form.cleaned_data["time_zone"])
        messages.success(
            request, f"Your time zone is saved: times are now shown in {request.user.time_zone}."
        )
        return redirect("accounts:time_zone")
    return render(request, "accounts/time_zone.html", {"form": form, "nav_key": "time-zone"})


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
