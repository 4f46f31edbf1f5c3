"""Invite routes, included into the offers namespace by offers/urls.py."""

from django.urls import path

from . import invite_views

urlpatterns = [
    path("proposals/invitations/", invite_views.invitations, name="invitations"),
]
