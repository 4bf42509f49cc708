"""Templates never compare a status with a raw string: they use the choices (issue 20).

A status's label and colour are defined once, on its choices (core.choices.ColouredChoices);
templates show ``obj.status_colour`` / ``get_status_display`` and compare with the enum
(``{% if ticket.status == ticket.Status.CLOSED %}``). A raw ``"closed"`` in a template would
silently stop matching when a value is renamed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TAG = re.compile(r"\{%.*?%\}", re.S)
NAME = r"[\w.]*(?:status|state)\w*"
LITERAL = r"""(?:"[^"]*"|'[^']*')"""
RAW_COMPARISON = re.compile(
    rf"\b{NAME}\s*(?:==|!=|\bnot in\b|\bin\b)\s*{LITERAL}"
    rf"|{LITERAL}\s*(?:==|!=|\bnot in\b|\bin\b)\s*{NAME}",
    re.I,
)


def template_files() -> list[Path]:
    skip = {".venv", "node_modules", "var", "static"}
    return sorted(
        path
        for path in ROOT.rglob("*.html")
        if "templates" in path.parts and not skip & set(path.relative_to(ROOT).parts)
    )


def raw_comparisons(text: str) -> list[str]:
    return [hit.group(0) for tag in TAG.findall(text) for hit in RAW_COMPARISON.finditer(tag)]


@pytest.mark.parametrize(
    "tag",
    [
        '{% if ticket.status == "closed" %}',
        "{% elif job.status != 'failed' %}",
        '{% if state == "overdue" %}',
        '{% if loan.status in "on_loan ready" %}',
        '{% if "done" == item.status %}',
        "{% if entry.round_status == 'open' and x %}",
    ],
)
def test_the_check_catches_a_raw_status_comparison(tag):
    assert raw_comparisons(tag)


@pytest.mark.parametrize(
    "tag",
    [
        "{% if ticket.status == ticket.Status.CLOSED %}",
        "{% if not state.is_paused %}",
        "{% if filters.status == value %}",
        '{% translate "Status" %}',
        '{% if kind == "borrow" %}',
    ],
)
def test_the_check_lets_comparisons_with_the_choices_pass(tag):
    assert raw_comparisons(tag) == []


def test_no_template_compares_a_status_with_a_raw_string():
    files = template_files()
    assert len(files) > 50  # the project's templates were found
    found = [
        f"{path.relative_to(ROOT)}: {hit}"
        for path in files
        for hit in raw_comparisons(path.read_text("utf-8"))
    ]
    assert found == []
