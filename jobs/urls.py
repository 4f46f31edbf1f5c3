from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/new/", views.job_create, name="job_create"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/invite/", views.invite_create, name="invite_create"),
    path("jobs/<int:job_id>/invitees/", views.job_invitees, name="job_invitees"),
    path("find-work/", views.find_work, name="find_work"),
    path("find-work/<int:job_id>/", views.job_for_freelancer, name="job_for_freelancer"),
    path("proposals/invitations/", views.invitations, name="invitations"),
    path("proposals/invitations/<int:invite_id>/", views.invite_detail, name="invite_detail"),
    path("proposals/invitations/<int:invite_id>/accept/", views.invite_accept, name="invite_accept"),
    path("proposals/invitations/<int:invite_id>/decline/", views.invite_decline, name="invite_decline"),
    path("freelancers/search/", views.freelancer_search, name="freelancer_search"),
    path("freelancers/<int:user_id>/", views.freelancer_profile, name="freelancer_profile"),
]
