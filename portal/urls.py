from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    # The school filters of the lists (repairs, loans) suggest schools as one types.
    path("schools/search/", views.school_search, name="school_search"),
]
