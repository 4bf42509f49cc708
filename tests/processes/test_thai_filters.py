"""The template filters of core.templatetags.thai, usable without {% load %}."""

from datetime import UTC, date, datetime

import pytest
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


VALUE = date(2026, 11, 21)
MOMENT = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)  # 01:30 on 21 Nov in Bangkok


def test_filters_on_values():
    assert render("{{ d|thai_date }}", d=VALUE) == "21 พ.ย. 2569"
    assert render('{{ d|thai_date:"numeric" }}', d=VALUE) == "21/11/2569"
    assert render('{{ d|thai_date:"long" }}', d=VALUE) == "21 พฤศจิกายน พ.ศ. 2569"
    assert render("{{ d|thai_date_long }}", d=VALUE) == "21 พฤศจิกายน พ.ศ. 2569"
    assert render("{{ t|thai_datetime }}", t=MOMENT) == "21 พ.ย. 2569 01:30 น."
    assert render('{{ t|thai_datetime:"long" }}', t=MOMENT) == (
        "21 พฤศจิกายน พ.ศ. 2569 เวลา 01:30 น."
    )
    assert render("{{ t|thai_date }}", t=MOMENT) == "21 พ.ย. 2569"
    assert render("{{ d|thai_datetime }}", d=VALUE) == "21 พ.ย. 2569"
    assert render("{{ d|thai_date|thai_digits }}", d=VALUE) == "๒๑ พ.ย. ๒๕๖๙"
    assert render("{{ n|thai_digits }}", n=42) == "๔๒"
    assert render("{{ d|fiscal_year }}", d=date(2026, 10, 1)) == "2570"
    assert render("{{ d|fiscal_year }}", d=date(2026, 9, 30)) == "2569"
    assert render("{{ t|fiscal_year }}", t=MOMENT) == "2570"


def test_filters_in_english():
    with translation.override("en"):
        assert render("{{ d|thai_date }}", d=VALUE) == "21 Nov 2569 BE"
        assert render("{{ t|thai_datetime }}", t=MOMENT) == "21 Nov 2569 BE, 01:30"


@pytest.mark.parametrize("bad", [None, "", "2026-11-21", "garbage", 42, [], object()])
@pytest.mark.parametrize(
    "expression",
    [
        "{{ v|thai_date }}",
        '{{ v|thai_date:"nonsense" }}',
        "{{ v|thai_date_long }}",
        "{{ v|thai_datetime }}",
        "{{ v|fiscal_year }}",
    ],
)
def test_date_filters_never_raise_and_render_nothing_for_bad_input(bad, expression):
    assert render(expression, v=bad) == ""


def test_bad_style_argument_on_a_good_value_renders_nothing():
    assert render('{{ d|thai_date:"nonsense" }}', d=VALUE) == ""


def test_missing_variable_renders_nothing():
    assert render("[{{ missing|thai_date }}][{{ missing|thai_digits }}]") == "[][]"


def test_thai_digits_on_none_and_escaping():
    assert render("{{ v|thai_digits }}", v=None) == ""
    assert render("{{ v|thai_digits }}", v="<b>1</b>") == "&lt;b&gt;๑&lt;/b&gt;"
    assert render("{{ v|thai_digits }}", v=mark_safe("<b>1</b>")) == "<b>๑</b>"
