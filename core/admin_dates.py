"""Buddhist-era dates everywhere in the Django admin, third-party admins included.

Django's admin prints dates through `display_for_field` / `display_for_value` and edits them
with the widgets of `FORMFIELD_FOR_DBFIELD_DEFAULTS`; neither knows the Buddhist era. `install()`
(called once from `ProcessesConfig.ready`) wraps the two display functions where the admin
looks them up, so every list and read-only field shows '21 พ.ย. 2569', and makes every admin
date box a `ThaiDateField` that reads and shows B.E. dates ('21/11/2569'); a date-and-time
field gets the same B.E. date box beside the admin's time box. The changelist's date hierarchy
(`date_hierarchy`: years, then months, then days) names its years in B.E. too, and the history
page of an object (templates/admin/object_history.html) prints its times with `thai_datetime`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.contrib.admin import helpers, options
from django.contrib.admin import site as admin_site
from django.contrib.admin import utils as admin_utils
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.templatetags import admin_list
from django.db import models

from core.thaitime import (
    BE_OFFSET,
    ThaiDateField,
    ThaiDateInput,
    format_thai_date,
    format_thai_datetime,
)


def _thai(value: object) -> str | None:
    if isinstance(value, datetime):
        return format_thai_datetime(value)
    if isinstance(value, date):
        return format_thai_date(value)
    return None


def _wrap_field(original: Callable[..., Any]) -> Callable[..., Any]:
    def display_for_field(
        value: object, field: Any, empty_value_display: str, *args: Any, **kwargs: Any
    ) -> Any:
        if value is not None and not getattr(field, "flatchoices", None):
            text = _thai(value)
            if text is not None:
                return text
        return original(value, field, empty_value_display, *args, **kwargs)

    display_for_field.wrapped_for_thai = True  # type: ignore[attr-defined]
    return display_for_field


def _wrap_value(original: Callable[..., Any]) -> Callable[..., Any]:
    def display_for_value(
        value: object, empty_value_display: str, *args: Any, **kwargs: Any
    ) -> Any:
        text = _thai(value)
        if text is not None:
            return text
        return original(value, empty_value_display, *args, **kwargs)

    display_for_value.wrapped_for_thai = True  # type: ignore[attr-defined]
    return display_for_value


class ThaiAdminSplitDateTime(admin_widgets.AdminSplitDateTime):
    """The admin's date-and-time widget with a B.E. date box (no A.D. calendar pop-up)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.widgets = [ThaiDateInput(attrs={"size": "10"}), self.widgets[1]]  # type: ignore[assignment]


class ThaiSplitDateTimeField(forms.SplitDateTimeField):
    """Django's date-and-time field whose date part reads B.E. dates (`ThaiDateField`)."""

    widget = ThaiAdminSplitDateTime

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        date_field = ThaiDateField(error_messages={"invalid": self.error_messages["invalid_date"]})
        date_field.required = False  # as MultiValueField leaves its parts
        self.fields = (date_field, self.fields[1])


# A Gregorian year as the date hierarchy prints it ('2026', 'พฤศจิกายน 2026').
_AD_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")


def _be_years(title: object) -> str | None:
    if title is None:
        return None
    return _AD_YEAR.sub(lambda match: str(int(match.group(1)) + BE_OFFSET), str(title))


def _wrap_date_hierarchy(original: Callable[..., Any]) -> Callable[..., Any]:
    """The changelist's date drill-down with its years in B.E.; links keep the A.D. lookups
    (`?at__year=2026`), which are the database's."""

    def date_hierarchy(cl: Any) -> Any:
        result = original(cl)
        if not result:
            return result
        back = result.get("back")
        if back:
            result["back"] = {**back, "title": _be_years(back.get("title"))}
        result["choices"] = [
            {**choice, "title": _be_years(choice.get("title"))} for choice in result["choices"]
        ]
        return result

    date_hierarchy.wrapped_for_thai = True  # type: ignore[attr-defined]
    return date_hierarchy


def install() -> None:
    if getattr(admin_utils.display_for_field, "wrapped_for_thai", False):
        return
    field = _wrap_field(admin_utils.display_for_field)
    value = _wrap_value(admin_utils.display_for_value)
    for module in (admin_utils, admin_list, helpers):
        if hasattr(module, "display_for_field"):
            setattr(module, "display_for_field", field)  # noqa: B010 - the module's own name
        if hasattr(module, "display_for_value"):
            setattr(module, "display_for_value", value)  # noqa: B010
    # Read when the changelist template is compiled, after this runs (see the tag's `func`).
    admin_list.date_hierarchy = _wrap_date_hierarchy(admin_list.date_hierarchy)
    defaults = cast(dict[Any, Any], options.FORMFIELD_FOR_DBFIELD_DEFAULTS)
    replacements: dict[Any, dict[str, type]] = {
        models.DateField: {"form_class": ThaiDateField, "widget": ThaiDateInput},
        models.DateTimeField: {
            "form_class": ThaiSplitDateTimeField,
            "widget": ThaiAdminSplitDateTime,
        },
    }
    django_defaults = {kind: defaults[kind] for kind in replacements}
    defaults.update(replacements)
    # The admin's autodiscovery has already copied the defaults into every registered admin
    # (django.contrib.admin is ready before this app): change those that kept Django's.
    for model_admin in admin_site._registry.values():
        overrides = cast(dict[Any, Any], model_admin.formfield_overrides)
        for kind, thai in replacements.items():
            if overrides.get(kind) == django_defaults[kind]:
                overrides[kind] = dict(thai)
