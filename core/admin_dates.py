"""Buddhist-era dates everywhere in the Django admin, third-party admins included.

Django's admin prints dates through `display_for_field` / `display_for_value` and edits them
with the widgets of `FORMFIELD_FOR_DBFIELD_DEFAULTS`; neither knows the Buddhist era. `install()`
(called once from `ProcessesConfig.ready`) wraps the two display functions where the admin
looks them up, so every list and read-only field shows '21 พ.ย. 2569', and makes every admin
date box a `ThaiDateField` that reads and shows B.E. dates ('21/11/2569').
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.admin import helpers, options
from django.contrib.admin import site as admin_site
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.db import models

from core.thaitime import ThaiDateField, ThaiDateInput, format_thai_date, format_thai_datetime


def _thai(value):
    if isinstance(value, datetime):
        return format_thai_datetime(value)
    if isinstance(value, date):
        return format_thai_date(value)
    return None


def _wrap_field(original):
    def display_for_field(value, field, empty_value_display, *args, **kwargs):
        if value is not None and not getattr(field, "flatchoices", None):
            text = _thai(value)
            if text is not None:
                return text
        return original(value, field, empty_value_display, *args, **kwargs)

    display_for_field.wrapped_for_thai = True
    return display_for_field


def _wrap_value(original):
    def display_for_value(value, empty_value_display, *args, **kwargs):
        text = _thai(value)
        if text is not None:
            return text
        return original(value, empty_value_display, *args, **kwargs)

    display_for_value.wrapped_for_thai = True
    return display_for_value


def install() -> None:
    if getattr(admin_utils.display_for_field, "wrapped_for_thai", False):
        return
    field = _wrap_field(admin_utils.display_for_field)
    value = _wrap_value(admin_utils.display_for_value)
    for module in (admin_utils, admin_list, helpers):
        if hasattr(module, "display_for_field"):
            module.display_for_field = field
        if hasattr(module, "display_for_value"):
            module.display_for_value = value
    django_default = options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField]
    thai = {"form_class": ThaiDateField, "widget": ThaiDateInput}
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField] = thai
    # The admin's autodiscovery has already copied the defaults into every registered admin
    # (django.contrib.admin is ready before this app): change those that kept Django's.
    for model_admin in admin_site._registry.values():
        if model_admin.formfield_overrides.get(models.DateField) == django_default:
            model_admin.formfield_overrides[models.DateField] = dict(thai)
