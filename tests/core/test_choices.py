"""core.choices: a status's colour is defined once, on its choices, and templates can use it."""

from __future__ import annotations

from django.apps import apps
from django.template import engines
from django.utils.translation import gettext_lazy as _

from core.choices import COLOURS, ColouredChoices
from dmc_emis.models import RoundSchool, SchoolStatus
from processes.models import Case, DueState
from repairs.models import RepairTicket
from reports.models import ReportJob


class Light(ColouredChoices):
    ON = "on", _("On")
    OFF = "off", _("Off")

    __colours__ = {"on": "success", "off": "secondary"}


def all_coloured_choices() -> list[type[ColouredChoices]]:
    found, todo = [], list(ColouredChoices.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_a_member_knows_its_colour_and_badge_class():
    assert Light.ON.colour == "success"
    assert Light.ON.badge == "text-bg-success"
    assert Light.colour_of("off") == "secondary"
    assert Light.colour_of(Light.ON) == "success"
    assert Light.colour_of("no such value") == "secondary"
    assert Light.choices == [("on", "On"), ("off", "Off")]  # still plain TextChoices
    assert "__colours__" not in Light.__members__


def test_every_status_of_the_project_has_a_bootstrap_colour_for_every_member():
    apps.get_models()  # every app's models are loaded
    classes = all_coloured_choices()
    names = {cls.__qualname__ for cls in classes}
    assert {"RepairTicket.Status", "Asset.Status", "SchoolStatus", "DueState"} <= names
    for cls in classes:
        if cls is Light:
            continue
        colours = cls.__colours__
        assert set(colours) == set(cls.values), cls.__qualname__
        assert set(colours.values()) <= COLOURS, cls.__qualname__


def test_models_give_the_colour_of_their_status():
    assert RepairTicket(status=RepairTicket.Status.CLOSED).status_colour == "success"
    assert RepairTicket(status="waiting").status_colour == "warning"
    assert ReportJob(status="failed").status_colour == "danger"
    assert RoundSchool(status=SchoolStatus.ISSUES_FOUND).status_colour == "danger"
    assert Case(state=Case.State.COMPLETED).state_colour == "success"
    assert DueState.OVERDUE.colour == "danger"
    assert DueState.PAUSED.is_paused and not DueState.OVERDUE.is_paused
    assert DueState.CLOSED.is_closed and not DueState.PAUSED.is_closed
    assert [value for value, _label in DueState.filter_choices()] == [
        "overdue",
        "due_soon",
        "paused",
    ]


def test_templates_compare_with_the_choices_and_show_the_colour():
    template = engines["django"].from_string(
        "{% if t.status == t.Status.CLOSED %}closed{% else %}open{% endif %} "
        "text-bg-{{ t.status_colour }}"
    )
    assert template.render({"t": RepairTicket(status="closed")}) == "closed text-bg-success"
    assert template.render({"t": RepairTicket(status="new")}) == "open text-bg-primary"
