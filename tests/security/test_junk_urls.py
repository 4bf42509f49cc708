"""Every URL of the URL conf with junk in its path and query string, as every role: a 4xx (or
the page itself, ignoring what it cannot read), never a 5xx.

Junk: non-ASCII digits, NUL, huge numbers, impossible dates, very long values. Path values
junk every argument of the URL (within what its converter accepts, else the resolver already
answers 404); the query string carries every parameter name a view or selector reads. Each
role gets different kinds of junk, so every kind reaches every URL (one pass over 9 roles
and ~110 URLs costs about four minutes; every kind for every role would cost forty).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.security.conftest import ROLES
from tests.security.test_url_matrix import MATRIX, url_names

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "processes", "repairs", "equipment_loans", "dmc_emis", "workplans")
APPS += ("reports", "portal", "core")

QUERY_JUNK = [
    "๑๒๓",  # Thai digits
    "9" * 40,  # a number no column holds
    "a\x00b",  # NUL
    "2569-02-30",  # an impossible date (and a B.E. year read as A.D.)
    "ก" * 4000,  # a very long value
    "-1",
    "31/02/2569",
    "١٢٣",  # Arabic-Indic digits
    "%",
    "1²",  # a superscript digit: isdigit() but not int()
]
PATH_JUNK = {
    "int": ["9" * 40, "0"],
    "default": ["๑๒๓", "x" * 3000, "a\x00b", "2569-02-30"],
}


def query_names() -> list[str]:
    """Every name the code reads from a query string or form: request.GET/.get("...")."""
    names = {"page", "format", "next", "year", "month", "date", "from", "to"}
    pattern = re.compile(r"""\.get(?:list)?\(\s*["']([a-z_]+)["']""")
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            names.update(pattern.findall(path.read_text("utf-8")))
    return sorted(names)


def converters(name: str) -> dict[str, str]:
    """{argument: converter kind} of a named URL."""
    resolver = get_resolver()
    possibilities = resolver.reverse_dict.getlist(name.split(":")[-1])
    for namespace in name.split(":")[:-1]:
        resolver = resolver.namespace_dict[namespace][1]
        possibilities = resolver.reverse_dict.getlist(name.split(":")[-1])
    result = {}
    for _, _, _, converter_map in possibilities:
        for argument, converter in converter_map.items():
            result[argument] = "int" if type(converter).__name__ == "IntConverter" else "default"
    return result


def junk_paths(name: str, kwargs: dict, turn: int) -> list[str]:
    """One junk value per argument of the URL, a different one on each turn (role)."""
    kinds = converters(name)
    urls = []
    for argument in kwargs:
        values = PATH_JUNK[kinds.get(argument, "default")]
        try:
            urls.append(reverse(name, kwargs={**kwargs, argument: values[turn % len(values)]}))
        except NoReverseMatch:
            continue
    return urls


def test_no_url_answers_5xx_to_junk(scenario, client_for):
    names = query_names()
    clients = {role: client_for(role) for role in ROLES}
    failures = []
    for name in sorted(url_names()):
        kwargs_spec, _codes = MATRIX[name]
        kwargs = kwargs_spec(scenario) if callable(kwargs_spec) else dict(kwargs_spec)
        base = reverse(name, kwargs=kwargs)
        for index, role in enumerate(ROLES):
            # Two kinds of query junk per role, so each kind reaches every URL at least twice.
            targets = [
                f"{base}?{urlencode(dict.fromkeys(names, junk), quote_via=quote)}"
                for junk in (QUERY_JUNK[index % 10], QUERY_JUNK[(index + 5) % 10])
            ]
            targets += junk_paths(name, kwargs, index)
            for url in targets:
                try:
                    status = clients[role].get(url).status_code
                except Exception as error:  # the test reports every crash
                    status = f"{type(error).__name__}: {str(error)[:120]}"
                if not isinstance(status, int) or status >= 500:
                    failures.append(f"{role} {name} {url[:160]!r}: {status}")
    assert not failures, f"{len(failures)} crashes:\n" + "\n".join(failures[:60])


@pytest.mark.parametrize(
    ("name", "argument", "value"),
    [
        ("repairs:asset", "pk", "9" * 40),
        ("processes:case", "reference", "๑๒๓"),
        ("dmc_emis:entry", "pk", "0"),
    ],
)
def test_a_junk_address_gets_a_thai_page(client_for, scenario, name, argument, value):
    """What the person sees on a bad address is a Thai page, not a stack trace."""
    response = client_for("staff").get(reverse(name, kwargs={argument: value}))
    assert response.status_code == 404
    with translation.override("th"):
        message = gettext("Page not found")
    assert message != "Page not found" and message in response.content.decode()


def test_a_nul_character_gets_the_thai_400_page(client_for, scenario):
    """PostgreSQL refuses NUL in any text: such a request is answered before any view."""
    staff = client_for("staff")
    with translation.override("th"):
        message = gettext("The request could not be read")
    for url in (
        reverse("repairs:ticket", kwargs={"reference": "a\x00b"}),
        reverse("repairs:index") + "?q=a%00b",
    ):
        response = staff.get(url)
        assert response.status_code == 400, url
        assert message in response.content.decode()
    response = staff.post(reverse("repairs:new"), {"symptom": "จอดับ\x00"})
    assert response.status_code == 400
