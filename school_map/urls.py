from django.urls import path

from school_map import views

app_name = "school_map"

urlpatterns = [
    path("", views.index, name="index"),
    path("schools/<int:pk>/", views.school_location, name="school"),
]
