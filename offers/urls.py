from django.urls import include, path

from . import views

app_name = "offers"

urlpatterns = [
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/new/", views.job_create, name="job_create"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("find-work/", views.find_work, name="find_work"),
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:offer_id>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:offer_id>/modify/", views.offer_modify, name="offer_modify"),
    path("offers/<int:offer_id>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("offers/<int:offer_id>/accept/", views.offer_accept, name="offer_accept"),
    path("offers/<int:offer_id>/decline/", views.offer_decline, name="offer_decline"),
    path("proposals/offers/", views.freelancer_offers, name="freelancer_offers"),
    # Invites (My Proposals > Invitations, job invitees) live in their own modules.
    path("", include("offers.invite_urls")),
]
