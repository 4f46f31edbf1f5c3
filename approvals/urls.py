from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.create, name="create"),
    path("reports/", views.reports_page, name="reports"),
    path("export.csv", views.export_csv, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("decide/", views.decide_many, name="decide_many"),
    path("<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("email/<str:token>/", views.email_decision, name="email_decision"),
    path("out-of-office/", views.out_of_office, name="out_of_office"),
]
