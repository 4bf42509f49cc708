"""Addresses of documents rendered in the background (core.render_views), under /files/."""

from django.urls import path

from core import render_views

app_name = "files"

urlpatterns = [
    path("<int:pk>/", render_views.job_page, name="job"),
    path("<int:pk>/progress/", render_views.job_progress, name="progress"),
    path("<int:pk>/download/", render_views.job_download, name="download"),
    path("<int:pk>/again/", render_views.job_again, name="again"),
]
