from django.contrib import admin
from django.urls import path

from .admin_reports import approval_reports

urlpatterns = [
    path("", admin.site.admin_view(approval_reports), name="admin_approval_reports"),
]
