from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("request/", views.job_request, name="request"),
    path("yearly/<int:fiscal_year>/texts/", views.report_texts, name="texts"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="download"),
    path("dossier/<str:reference>.pdf", views.dossier_pdf, name="dossier"),
    path("export/my-tasks/", views.export_my_tasks, name="export_my_tasks"),
    path("export/approvals/", views.export_inbox, name="export_inbox"),
    path("export/cases/", views.export_cases, name="export_cases"),
    path("export/users/", views.export_users, name="export_users"),
]
