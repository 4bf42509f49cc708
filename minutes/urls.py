from django.urls import path

from minutes import views

app_name = "minutes"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/pdf/", views.meeting_pdf, name="pdf"),
    path("<int:pk>/items/<int:item_pk>/follow-up/", views.follow_up_add, name="follow_up"),
    path("follow-ups/<int:pk>/done/", views.follow_up_mark_done, name="follow_up_done"),
]
