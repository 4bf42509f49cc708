"""Every text field of the portal's forms has a length limit, and a pasted 100,000 characters
is refused with a Thai message while what else was typed stays in the form."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms

from processes.forms import DecisionForm
from processes.models import Task
from processes.services import case_start

APPS = ("processes", "workplans", "repairs", "equipment_loans", "dmc_emis", "reports")


def _form_classes():
    for app in APPS:
        for module_name in ("forms", "views", "views_specs", "views_surveys"):
            try:
                module = importlib.import_module(f"{app}.{module_name}")
            except ImportError:
                continue
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_text_field_of_every_form_has_a_limit():
    unlimited = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert len(list(_form_classes())) > 20
    assert unlimited == []


@pytest.mark.django_db
def test_a_huge_comment_is_refused_in_thai_and_the_rest_is_kept(people, plan_definition):
    case = case_start(definition=plan_definition, requester=people["staff"], title="ยาวเกิน")
    task = case.tasks.get(status=Task.Status.OPEN)
    form = DecisionForm(
        data={"outcome": "done", "comment": "ก" * 100_000, "summary": "สาระสำคัญที่พิมพ์ไว้"},
        task=task,
    )
    assert not form.is_valid()
    assert form.errors["comment"] == ["กรุณากรอกไม่เกิน 5000 ตัวอักษร (ขณะนี้ 100000 ตัวอักษร)"]
    assert 'maxlength="5000"' in str(form["summary"]) and "สาระสำคัญที่พิมพ์ไว้" in str(form["summary"])


@pytest.mark.django_db
def test_model_form_text_fields_get_the_limit():
    from workplans.forms import PlanBasicsForm

    form = PlanBasicsForm(data={"title": "แผน", "vision": "ข" * 6000})
    assert not form.is_valid()
    assert "กรุณากรอกไม่เกิน 5000 ตัวอักษร" in form.errors["vision"][0]
