from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("portal.urls")),
    path("", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("processes/", include("processes.urls")),
    path("workplans/", include("workplans.urls")),
    path("repairs/", include("repairs.urls")),
    path("loans/", include("equipment_loans.urls")),
    path("dmc/", include("dmc_emis.urls")),
    path("trainings/", include("trainings.urls")),
    path("log-register/", include("log_register.urls")),
    path("minutes/", include("minutes.urls")),
    path("school-map/", include("school_map.urls")),
    path("reports/", include("reports.urls")),
    path("line/", include("line_messaging.urls")),
    path("files/", include("core.render_urls")),
    path("", include("documents.urls")),
]

if settings.BENCH_MODE:

    def bare_view(request):
        """The ceiling of bench/pages.py: the same server and middleware, no query, no template."""
        return HttpResponse("ok", content_type="text/plain")

    @login_required
    def frame_view(request):
        """The page frame alone (bench/frame.py): the base template for a signed-in person, no
        content of its own, so what it costs over the bare view is what every page pays."""
        return render(request, "base.html")

    urlpatterns += [path("bench/bare/", bare_view), path("bench/frame/", frame_view)]

admin.site.site_header = _("ICT Office Portal")
admin.site.site_title = _("ICT Office Portal")
