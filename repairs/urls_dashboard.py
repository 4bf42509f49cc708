"""The repairs dashboard's page; repairs/urls.py adds it to the `repairs` namespace."""

from django.urls import path

from repairs import views_dashboard

urlpatterns = [path("dashboard/", views_dashboard.dashboard, name="dashboard")]
