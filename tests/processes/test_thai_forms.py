"""ThaiDateInput and ThaiDateField in a small form, and the CalendarDay admin that uses them."""

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.utils import translation

from core.thaitime import ThaiDateField, ThaiDateInput
from processes.models import CalendarDay


class LeaveForm(forms.Form):
    start = ThaiDateField()
    end = ThaiDateField(required=False)


def test_accepts_a_buddhist_era_date():
    form = LeaveForm(data={"start": "21/11/2569"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"start": date(2026, 11, 21), "end": None}


@pytest.mark.parametrize("text", ["๒๑/๑๑/๒๕๖๙", "21 พ.ย. 2569", " 2569-11-21 ", "21112569"])
def test_accepts_the_other_shapes(text):
    form = LeaveForm(data={"start": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == date(2026, 11, 21)


def test_rejects_a_christian_era_year_with_the_suggestion():
    with translation.override("en"):
        form = LeaveForm(data={"start": "21/11/2026"})
        assert not form.is_valid()
        [error] = form.errors.as_data()["start"]
        assert error.code == "christian_era_year"
        assert form.errors["start"] == [
            "2026 looks like a Christian-era (A.D.) year; enter the Buddhist-era year, e.g. 2569."
        ]


def test_required_and_impossible_dates():
    form = LeaveForm(data={"start": "", "end": "31/02/2569"})
    assert not form.is_valid()
    assert form.errors.as_data()["start"][0].code == "required"
    assert form.errors.as_data()["end"][0].code == "invalid_date"


@pytest.mark.parametrize(
    "typed",
    ["21/11/2026", "31/02/2569", "21 พฤศจิกายน 69", "พรุ่งนี้", "๓๑/๐๒/๒๕๖๙"],
)
def test_bad_input_is_rendered_back_exactly_as_typed(typed):
    form = LeaveForm(data={"start": typed})
    assert not form.is_valid()
    assert f'value="{typed}"' in str(form["start"])


def test_typed_markup_is_escaped_when_rendered_back():
    form = LeaveForm(data={"start": '<b>"21/11"</b>'})
    assert not form.is_valid()
    assert 'value="&lt;b&gt;&quot;21/11&quot;&lt;/b&gt;"' in str(form["start"])


def test_initial_date_is_shown_in_buddhist_era():
    form = LeaveForm(initial={"start": date(2026, 11, 21), "end": date(2027, 1, 5)})
    assert 'value="21/11/2569"' in str(form["start"])
    assert 'value="05/01/2570"' in str(form["end"])


def test_initial_aware_datetime_is_shown_as_its_bangkok_date():
    form = LeaveForm(initial={"start": datetime(2026, 11, 20, 18, 30, tzinfo=UTC)})
    assert 'value="21/11/2569"' in str(form["start"])


def test_widget_attributes_and_placeholder_follow_the_language():
    html = str(LeaveForm()["start"])
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert 'placeholder="วว/ดด/ปปปป"' in html
    with translation.override("en"):
        assert 'placeholder="dd/mm/yyyy"' in str(LeaveForm()["start"])


def test_own_attributes_win():
    widget = ThaiDateInput(attrs={"placeholder": "วันเริ่ม", "class": "form-control"})
    html = widget.render("start", date(2026, 11, 21))
    assert 'placeholder="วันเริ่ม"' in html
    assert 'class="form-control"' in html
    assert 'value="21/11/2569"' in html


def test_has_changed_compares_dates_not_text():
    form = LeaveForm(initial={"start": date(2026, 11, 21)}, data={"start": "21 พ.ย. 2569"})
    assert form.is_valid()
    assert not form.has_changed()
    form = LeaveForm(initial={"start": date(2026, 11, 21)}, data={"start": "22/11/2569"})
    assert form.has_changed()


def test_python_dates_pass_through_to_python():
    field = ThaiDateField()
    assert field.clean(date(2026, 11, 21)) == date(2026, 11, 21)
    assert field.clean(datetime(2026, 11, 20, 18, 30, tzinfo=UTC)) == date(2026, 11, 21)


# --- the CalendarDay admin ----------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_add_form_takes_a_buddhist_era_date(admin_client):
    response = admin_client.post(
        "/admin/processes/calendarday/add/",
        {"date": "20/11/2569", "kind": "holiday", "name": "วันหยุดพิเศษ", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarDay.objects.get().date == date(2026, 11, 20)


@pytest.mark.django_db
def test_admin_changelist_with_filters(admin_client):
    CalendarDay.objects.create(date=date(2026, 11, 20), name="วันหยุดพิเศษ")
    CalendarDay.objects.create(
        date=date(2027, 1, 9), kind=CalendarDay.Kind.WORKING_DAY, name="ทำงานวันเสาร์"
    )
    response = admin_client.get("/admin/processes/calendarday/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "20 พฤศจิกายน พ.ศ. 2569" in page
    assert "?year=2027" in page  # the B.E. year filter, labelled 2570
    assert ">2570<" in page
    response = admin_client.get("/admin/processes/calendarday/?year=2027&kind=working_day&q=ทำงาน")
    assert response.status_code == 200
    assert "ทำงานวันเสาร์" in response.content.decode()
    assert "วันหยุดพิเศษ" not in response.content.decode()
