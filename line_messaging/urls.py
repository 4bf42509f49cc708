from django.urls import path

from line_messaging import views

app_name = "line_messaging"

urlpatterns = [
    path("", views.line_settings, name="settings"),
    path("code/", views.code_new, name="code"),
    path("unlink/", views.unlink, name="unlink"),
    path("guide/", views.guide, name="guide"),
    path("webhook/", views.webhook, name="webhook"),
]
