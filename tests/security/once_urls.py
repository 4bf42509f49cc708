"""A tiny URL conf for the htmx half of the one-time form token tests: a create form that
answers with a partial (marked saved) and a preview that saves nothing."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path

from accounts.idempotency import saved

CREATED: list[str] = []


def create_comment(request):
    CREATED.append(request.POST["body"])
    return saved(HttpResponse(f"<li>{request.POST['body']}</li>"))


def preview(request):
    return HttpResponse("<svg></svg>")


urlpatterns = [
    path("comment/", create_comment),
    path("preview/", preview),
]
