from django.urls import path

from dmc_emis import views

app_name = "dmc_emis"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<int:pk>/", views.round_board, name="round"),
    path("rounds/<int:pk>/open/", views.round_open_view, name="open"),
    path("rounds/<int:pk>/staff/", views.responsible_staff_view, name="responsible"),
    path("rounds/<int:pk>/import/", views.import_create, name="import_create"),
    path("rounds/<int:pk>/export/", views.board_export, name="board_export"),
    path("rounds/<int:pk>/findings/export/", views.findings_export, name="findings_export"),
    path("rounds/<int:pk>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("rounds/<int:pk>/national-ids/", views.national_ids_export_view, name="national_ids"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("schools/<int:pk>/", views.entry_detail, name="entry"),
    path("findings/<int:pk>/answer/", views.finding_answer_view, name="answer"),
    path("findings/<int:pk>/resolve/", views.finding_resolve_view, name="resolve"),
]
