"""Thai date filters, registered as template builtins (no {% load %} needed).

{{ d|thai_date }} 21 พ.ย. 2569 · {{ d|thai_date:"numeric" }} 21/11/2569 ·
{{ d|thai_date_long }} 21 พฤศจิกายน พ.ศ. 2569 · {{ dt|thai_datetime }} 21 พ.ย. 2569 14:05 น. ·
{{ x|thai_digits }} ๒๑ · {{ d|fiscal_year }} 2570. None or a bad value renders as "".
"""

from typing import Any

from django import template

from core import thaitime

register = template.Library()

# A page must render even when a value is missing or of the wrong type.
_BAD_INPUT = (TypeError, ValueError, AttributeError, OverflowError)


@register.filter
def thai_date(value: Any, style: thaitime.DateStyle = "short") -> str:
    try:
        return thaitime.format_thai_date(value, style)
    except _BAD_INPUT:
        return ""


@register.filter
def thai_date_long(value: Any) -> str:
    return thai_date(value, "long")


@register.filter
def thai_datetime(value: Any, style: thaitime.DateStyle = "short") -> str:
    try:
        return thaitime.format_thai_datetime(value, style)
    except _BAD_INPUT:
        return ""


@register.filter(is_safe=True)
def thai_digits(value: Any) -> str:
    # is_safe: only digits change, so safe input stays safe and is not escaped twice.
    return thaitime.to_thai_digits(value)


@register.filter
def fiscal_year(value: Any) -> int | str:
    if value is None or value == "":
        return ""
    try:
        return thaitime.fiscal_year_of(value)
    except _BAD_INPUT:
        return ""
