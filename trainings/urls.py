from django.urls import path

from trainings import views

app_name = "trainings"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.training_new, name="new"),
    path("certificates/", views.register_list, name="register"),
    path("certificates/<int:pk>/", views.certificate_download, name="certificate"),
    path("<int:pk>/", views.training_detail, name="training"),
    path("<int:pk>/edit/", views.training_edit, name="edit"),
    path("<int:pk>/sessions/new/", views.session_edit, name="session_new"),
    path("<int:pk>/sessions/<int:session_pk>/", views.session_edit, name="session"),
    path(
        "<int:pk>/sessions/<int:session_pk>/delete/",
        views.session_remove,
        name="session_delete",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path("<int:pk>/register/", views.register, name="register_self"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/participants/import/", views.participant_import, name="import"),
    path(
        "<int:pk>/participants/imports/<int:job_pk>/",
        views.participant_import_status,
        name="import_status",
    ),
    path("<int:pk>/participants/template/", views.participant_template, name="template"),
    path("<int:pk>/participants/export/", views.participant_export, name="export"),
    path(
        "<int:pk>/participants/<int:participant_pk>/delete/",
        views.participant_delete,
        name="participant_delete",
    ),
    path("<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/certificates/issue/", views.certificates_issue, name="issue"),
    path("<int:pk>/certificate/", views.certificate_claim, name="claim"),
]
