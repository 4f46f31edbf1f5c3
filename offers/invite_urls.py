"""Invite routes, included into the offers namespace by offers/urls.py."""

from django.urls import path

from . import invite_views

urlpatterns = [
    path("proposals/invitations/", invite_views.invitations, name="invitations"),
    path("proposals/invitations/<int:invite_id>/", invite_views.invite_detail, name="invite_detail"),
    path("proposals/invitations/<int:invite_id>/accept/", invite_views.invite_accept, name="invite_accept"),
    path(
        "proposals/invitations/<int:invite_id>/decline/", invite_views.invite_decline, name="invite_decline"
    ),
    path("jobs/<int:job_id>/invite/", invite_views.invite_create, name="invite_create"),
    path("jobs/<int:job_id>/invitees/", invite_views.job_invitees, name="job_invitees"),
    path("freelancers/<int:user_id>/", invite_views.freelancer_profile, name="freelancer_profile"),
]
