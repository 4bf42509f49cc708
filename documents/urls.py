from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("documents/", views.index, name="index"),
    path("documents/memo/<int:task_pk>.pdf", views.memo_pdf, name="memo"),
    path("documents/order/<str:reference>/", views.order_prepare, name="order_propose"),
    path("documents/<int:pk>.pdf", views.document_download, name="download"),
    path("documents/settings/", views.settings_edit, name="settings"),
    path("documents/register/<str:kind>/", views.register, name="register"),
    path("documents/register/<str:kind>/new/", views.entry_new, name="entry_new"),
    path("documents/entry/<int:pk>/", views.entry_detail, name="entry"),
    path("documents/entry/<int:pk>/cancel/", views.entry_cancel_view, name="entry_cancel"),
    path("documents/entry/<int:pk>/file/", views.entry_file, name="entry_file"),
    path("verify/", views.verify, name="verify_upload"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
