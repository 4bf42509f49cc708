from django.urls import path

from processes import views

app_name = "processes"

urlpatterns = [
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/acknowledge/", views.inbox_acknowledge, name="acknowledge"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<slug:code>/", views.definition_detail, name="definition"),
    path("catalogue/<slug:code>/start/", views.case_start_view, name="start"),
    path("cases/<str:reference>/", views.case_detail, name="case"),
    path("tasks/<int:pk>/decide/", views.task_decide, name="decide"),
    path("tasks/<int:pk>/assign/", views.task_assign_view, name="assign"),
    path("tasks/<int:pk>/pause/", views.task_pause_view, name="pause"),
    path("tasks/<int:pk>/activities/", views.task_activities_view, name="activities"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
