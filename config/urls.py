from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("processes/", include("processes.urls")),
    path("workplans/", include("workplans.urls")),
    path("repairs/", include("repairs.urls")),
    path("loans/", include("equipment_loans.urls")),
    path("dmc/", include("dmc_emis.urls")),
    path("reports/", include("reports.urls")),
]

admin.site.site_header = "ICT Office Portal"
admin.site.site_title = "ICT Office Portal"
