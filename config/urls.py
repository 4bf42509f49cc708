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

    @login_required
    def cached_page_view(request):
        """The least a page served whole from a cache would cost (bench/pages.py): knowing who
        asks and what they may do (session, user, roles: a revoked role must bite on the next
        request), one read of a change clock (SELECT 1 stands in for it) and one cache read of
        a page of `bytes` bytes (my tasks is about 64 KB at the large size)."""
        from django.core.cache import cache
        from django.db import connection

        from accounts.selectors import authorities_of
        from core.params import int_param

        authorities_of(request.user)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        size = min(int_param(request.GET.get("bytes")) or 64_000, 1_000_000)
        key = f"bench:cached-page:{request.user.pk}:{size}"
        page = cache.get(key)
        if page is None:
            page = "x" * size
            cache.set(key, page, 600)
        return HttpResponse(page)

    urlpatterns += [
        path("bench/bare/", bare_view),
        path("bench/frame/", frame_view),
        path("bench/cached/", cached_page_view),
    ]

admin.site.site_header = _("ICT Office Portal")
admin.site.site_title = _("ICT Office Portal")
