from django.urls import path

from log_register import views

app_name = "log_register"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.source_edit, name="new"),
    path("<int:pk>/", views.source_detail, name="source"),
    path("<int:pk>/edit/", views.source_edit, name="edit"),
    path("checks/<int:pk>/evidence/", views.evidence, name="evidence"),
]
