"""Filters for PDF documents: digits the way the office's documents print them."""

import re

from django import template
from django.utils.safestring import SafeData, mark_safe

from core import thaitime
from core.pdf import thai_digits_on

register = template.Library()


@register.filter(is_safe=True)
def doc_digits(value):
    """Thai digits (๑๒๓) when the document prints them (render_pdf's `thai_digits`, by
    default settings.THAI_DIGITS_IN_DOCUMENTS), else Arabic digits (123)."""
    if value is None:
        return ""
    # Either way one kind of digits: a text typed with Thai digits prints Arabic ones when
    # the document uses Arabic digits.
    text = (
        thaitime.to_thai_digits(value)
        if thai_digits_on()
        else thaitime.to_arabic_digits(str(value))
    )
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


_SVG_TEXT = re.compile(r">([^<]+)<")


@register.filter(is_safe=True)
def doc_svg(svg):
    """A chart from core.charts with the digits of its labels (text between tags, never
    attributes) in the document's digits."""
    if not svg:
        return svg
    convert = thaitime.to_thai_digits if thai_digits_on() else thaitime.to_arabic_digits
    return mark_safe(_SVG_TEXT.sub(lambda m: f">{convert(m.group(1))}<", svg))
