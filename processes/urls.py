from django.urls import path

from processes import views, views_designer

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
    # The process designer (group head and admin by default: PROCESS_DESIGNER_ROLES).
    path("designer/", views_designer.index, name="designer"),
    path("designer/new/", views_designer.definition_new, name="designer_new"),
    path("designer/import/", views_designer.import_view, name="designer_import"),
    path("designer/p/<slug:code>/", views_designer.definition_detail, name="designer_definition"),
    path("designer/p/<slug:code>/draft/", views_designer.draft_open, name="designer_draft"),
    path("designer/p/<slug:code>/compare/", views_designer.compare, name="designer_compare"),
    path("designer/v/<int:pk>/", views_designer.version_detail, name="designer_version"),
    path(
        "designer/v/<int:pk>/flowchart/",
        views_designer.version_flowchart,
        name="designer_flowchart",
    ),
    path("designer/v/<int:pk>/preview/", views_designer.version_preview, name="designer_preview"),
    path("designer/v/<int:pk>/steps/new/", views_designer.step_edit, name="designer_step_new"),
    path("designer/v/<int:pk>/steps/<slug:key>/", views_designer.step_edit, name="designer_step"),
    path(
        "designer/v/<int:pk>/steps/<slug:key>/delete/",
        views_designer.step_delete,
        name="designer_step_delete",
    ),
    path("designer/v/<int:pk>/reorder/", views_designer.steps_reorder, name="designer_reorder"),
    path("designer/v/<int:pk>/publish/", views_designer.version_publish, name="designer_publish"),
    path(
        "designer/v/<int:pk>/republish/",
        views_designer.version_republish,
        name="designer_republish",
    ),
    path("designer/v/<int:pk>/discard/", views_designer.version_discard, name="designer_discard"),
    path(
        "designer/v/<int:pk>/export.<str:fmt>",
        views_designer.version_export,
        name="designer_export",
    ),
]
