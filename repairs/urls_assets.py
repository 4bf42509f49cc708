"""The asset register's pages; included into repairs/urls.py (namespace "repairs")."""

from django.urls import path

from repairs import views_assets

urlpatterns = [
    path("assets/", views_assets.asset_list, name="assets"),
    path("assets/<int:pk>/", views_assets.asset_detail, name="asset"),
    path("assets/import/", views_assets.asset_import, name="asset_import"),
    path(
        "assets/import/<int:pk>/",
        views_assets.asset_import_status,
        name="asset_import_status",
    ),
    path("assets/export/", views_assets.asset_export, name="asset_export"),
]
