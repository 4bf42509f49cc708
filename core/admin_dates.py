"""Buddhist-era dates everywhere in the Django admin, third-party admins included.

Django's admin prints dates through `display_for_field` / `display_for_value` and edits them
with the widgets of `FORMFIELD_FOR_DBFIELD_DEFAULTS`; neither knows the Buddhist era. `install()`
(called once from `ProcessesConfig.ready`) wraps the two display functions where the admin
looks them up, so every list and read-only field shows '21 พ.ย. 2569', and makes every admin
date box a `ThaiDateField` that reads and shows B.E. dates ('21/11/2569').
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, cast

from django.contrib.admin import helpers, options
from django.contrib.admin import site as admin_site
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.db import models

from core.thaitime import ThaiDateField, ThaiDateInput, format_thai_date, format_thai_datetime


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
    defaults = cast(dict[Any, Any], options.FORMFIELD_FOR_DBFIELD_DEFAULTS)
    django_default = defaults[models.DateField]
    thai = {"form_class": ThaiDateField, "widget": ThaiDateInput}
    defaults[models.DateField] = thai
    # The admin's autodiscovery has already copied the defaults into every registered admin
    # (django.contrib.admin is ready before this app): change those that kept Django's.
    for model_admin in admin_site._registry.values():
        overrides = cast(dict[Any, Any], model_admin.formfield_overrides)
        if overrides.get(models.DateField) == django_default:
            overrides[models.DateField] = dict(thai)
