"""Filters for PDF documents: digits the way the office's documents print them."""

from django import template
from django.conf import settings
from django.utils.safestring import SafeData, mark_safe

from core import thaitime

register = template.Library()


@register.filter(is_safe=True)
def doc_digits(value):
    """Thai digits (๑๒๓) when settings.THAI_DIGITS_IN_DOCUMENTS is on, else the value as is."""
    if value is None:
        return ""
    if not settings.THAI_DIGITS_IN_DOCUMENTS:
        return value
    text = thaitime.to_thai_digits(value)
    return mark_safe(text) if isinstance(value, SafeData) else text


@register.filter
def doc_date(value):
    """A date as official documents write it: '๒๑ พฤศจิกายน ๒๕๖๙' (digits per setting)."""
    try:
        text = thaitime.format_thai_date(value, "long", language="th")
    except (TypeError, ValueError, AttributeError):
        return ""
    return doc_digits(text.replace("พ.ศ. ", ""))


@register.filter
def doc_datetime(value):
    """'๒๑ พ.ย. ๒๕๖๙ ๑๔:๐๕ น.' for audit trails in documents."""
    try:
        text = thaitime.format_thai_datetime(value, "short", language="th")
    except (TypeError, ValueError, AttributeError):
        return ""
    return doc_digits(text)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, None when missing."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
