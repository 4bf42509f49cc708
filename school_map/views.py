"""The school map (Leaflet, vendored) with the same schools as a list, and a school's
location page where the office sets it and the school confirms it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import schools_visible_to
from core.params import int_param
from processes.forms import add_service_errors
from school_map.forms import LocationForm
from school_map.models import SchoolLocation
from school_map.selectors import markers, rounds_for_map
from school_map.services import can_set, location_confirm, location_set


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    layer = "round" if request.GET.get("layer") == "round" else "repairs"
    rounds = rounds_for_map(user)
    round_ = None
    if layer == "round":
        round_id = request.GET.get("round", "")
        round_pk = int_param(round_id)
        round_ = rounds.filter(pk=round_pk).first() if round_pk is not None else rounds.first()
    rows = markers(user, layer=layer, round_=round_)
    return render(
        request,
        "school_map/index.html",
        {
            "rows": rows,
            "points": [m.as_json() for m in rows if m.lat is not None],
            "unlocated": sum(1 for m in rows if m.lat is None),
            "layer": layer,
            "rounds": rounds[:30],
            "round": round_,
            "tile_url": settings.SCHOOL_MAP_TILE_URL,
            "tile_attribution": settings.SCHOOL_MAP_TILE_ATTRIBUTION,
        },
    )


@login_required
def school_location(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(schools_visible_to(request.user), pk=pk)
    location = SchoolLocation.objects.filter(school=school).first()
    editable = can_set(request.user, school)
    form = LocationForm(request.POST or None, instance=location) if editable else None
    if request.method == "POST":
        if request.POST.get("action") == "confirm":
            try:
                location_confirm(user=request.user, school=school)
            except SchoolLocation.DoesNotExist:
                messages.error(request, _("The office has not placed this school yet."))
            else:
                messages.success(request, _("Thank you: the location is confirmed."))
            return redirect("school_map:school", school.pk)
        if not editable:
            raise PermissionDenied
        assert form is not None  # made whenever the location is editable
        if form.is_valid():
            try:
                location_set(user=request.user, school=school, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The location is saved; the school will confirm it."))
                return redirect("school_map:school", school.pk)
    return render(
        request,
        "school_map/school.html",
        {
            "school": school,
            "location": location,
            "form": form,
            "can_confirm": request.user.is_school_side and request.user.school_id == school.pk,
        },
        status=400 if request.method == "POST" else 200,
    )
