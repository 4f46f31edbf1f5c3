from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("invites/<int:invite_id>/refer/", views.refer, name="refer"),
]
