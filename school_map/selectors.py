"""The map's markers: each located school with a colour for the chosen layer.

This app sits above the domain apps (like reports): it reads repair tickets and data rounds
to colour the schools, and no domain app imports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import schools_visible_to
from dmc_emis.models import STAGE_OF, DutyStage, Round, RoundSchool, SchoolStatus
from repairs.models import RepairTicket

OPEN_TICKETS = ~Q(
    status__in=[
        RepairTicket.Status.RESOLVED,
        RepairTicket.Status.CLOSED,
        RepairTicket.Status.CANCELLED,
    ]
)
# Colour-blind-safe (core.charts.PALETTE) and named, so the list says the same in words.
GREEN, AMBER, RED, BLUE, GREY = "#009E73", "#9A6700", "#D55E00", "#0072B2", "#595959"
# Every duty kind's statuses fall on the four stages (dmc_emis.models.STAGE_OF).
STAGE_COLOURS: dict[str, str] = {
    DutyStage.NOT_STARTED: RED,
    DutyStage.IN_PROGRESS: AMBER,
    DutyStage.SUBMITTED: AMBER,
    DutyStage.CHECKED: GREEN,
}
ROUND_COLOURS: dict[str, tuple[str, str]] = {
    status: (STAGE_COLOURS[stage], str(stage)) for status, stage in STAGE_OF.items()
}


@dataclass
class Marker:
    school_id: int
    name: str
    code: str
    district: str
    lat: float | None
    lng: float | None
    confirmed: bool
    colour: str
    status: str

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "code": self.code,
            "lat": self.lat,
            "lng": self.lng,
            "colour": self.colour,
            "status": self.status,
        }


def rounds_for_map(user: User):
    if user.is_school_side or not (user.office_id or user.is_superuser):
        return Round.objects.none()
    rounds = Round.objects.order_by(F("deadline_on").desc(nulls_last=True), "kind")
    if user.is_superuser:
        return rounds
    assert user.office_id is not None  # the first test returned otherwise
    return rounds.filter(office_id=user.office_id)


def markers(user: User, *, layer: str = "repairs", round_: Round | None = None) -> list[Marker]:
    """Every school the user may see, located or not (the list shows the unlocated ones too)."""
    schools = list(schools_visible_to(user).active().select_related("location").order_by("name_th"))
    status_of: dict[int, tuple[str, str]] = {}
    if layer == "round" and round_ is not None:
        labels = dict(SchoolStatus.choices)
        for school_id, status in RoundSchool.objects.filter(
            round=round_, school__in=schools
        ).values_list("school_id", "status"):
            colour, _group = ROUND_COLOURS.get(status, (GREY, ""))
            status_of[school_id] = (colour, str(labels.get(status, status)))
        missing = (GREY, _("Not in this round"))
    else:
        counts = dict(
            RepairTicket.objects.filter(OPEN_TICKETS, school__in=schools)
            .values_list("school_id")
            .annotate(n=Count("pk"))
            .values_list("school_id", "n")
        )
        for school in schools:
            n = counts.get(school.pk, 0)
            colour = GREEN if n == 0 else AMBER if n < 3 else RED
            status_of[school.pk] = (colour, _("%(n)s open repair tickets") % {"n": n})
        missing = (GREY, "")
    result = []
    for school in schools:
        location = getattr(school, "location", None)
        colour, status = status_of.get(school.pk, missing)
        result.append(
            Marker(
                school_id=school.pk,
                name=school.name_th,
                code=school.obec_code,
                district=school.district,
                lat=float(location.latitude) if location else None,
                lng=float(location.longitude) if location else None,
                confirmed=bool(location and location.is_confirmed),
                colour=colour,
                status=status,
            )
        )
    return result
