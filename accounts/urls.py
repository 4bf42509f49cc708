from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views, views_schools

app_name = "accounts"

urlpatterns = [
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("second-factor/setup/", views.otp_setup, name="otp_setup"),
    path("second-factor/", views.otp_verify, name="otp_verify"),
    path("schools/import/", views_schools.school_import, name="school_import"),
    path(
        "schools/imports/<int:pk>/", views_schools.school_import_status, name="school_import_status"
    ),
]
