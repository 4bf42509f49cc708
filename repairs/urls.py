from django.urls import path

from repairs import views
from repairs.urls_assets import urlpatterns as asset_urlpatterns
from repairs.urls_dashboard import urlpatterns as dashboard_urlpatterns

app_name = "repairs"

urlpatterns = [
    path("", views.ticket_list, name="index"),
    path("new/", views.ticket_new, name="new"),
    path("assign/", views.ticket_bulk_assign, name="bulk_assign"),
    path("export/", views.ticket_export, name="export"),
    path("tickets/<str:reference>/", views.ticket_detail, name="ticket"),
    path("tickets/<str:reference>/triage/", views.ticket_triage_view, name="triage"),
    path("tickets/<str:reference>/comment/", views.ticket_comment_view, name="comment"),
    path("tickets/<str:reference>/work/", views.ticket_work_log_view, name="work_log"),
    path("attachments/<int:pk>/", views.ticket_attachment, name="attachment"),
]

# The asset register's and the dashboard's pages join the same namespace.
urlpatterns += asset_urlpatterns + dashboard_urlpatterns
