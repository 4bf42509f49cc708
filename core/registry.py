"""What each app contributes to the yearly report and to the yearly export pack.

The reports app knows no domain app by name. An app contributes by registering providers:

* a **yearly-report section provider** ``(office, fiscal_year) -> Section | None``: the app's
  part of the yearly report (key figures, tables, server-side SVG charts); None leaves the
  app out of that year's report;
* an **export-pack provider** ``(office, fiscal_year, user) -> list[ExportFile]``: the
  spreadsheets the app puts in the admins' yearly ZIP, each an ``ExportFile(filename,
  dataset)`` whose dataset is a tablib.Dataset with Thai headers (usually
  ``SomeResource().export(queryset)``); the pack writes each as XLSX through
  `core.spreadsheets.xlsx_bytes`, so cells are never run as formulas.

Providers live in a module named ``report_providers`` of the app (``<app>/report_providers.py``)
and register at import time; `autodiscover()` (called from ReportsConfig.ready) imports that
module of every installed app, the way Django's admin finds ``admin.py``::

    # equipment_loans/report_providers.py
    from core.registry import ExportFile, Section, Table, register_export, register_section

    def loans_section(office, fiscal_year):
        ...  # items lent, returned late, still out
        return Section(key="loans", title="การยืม-คืนวัสดุอุปกรณ์", figures=[...], tables=[...])

    def loans_export(office, fiscal_year, user):
        return [ExportFile("loans.xlsx", LoanResource().export(loans_of(office, fiscal_year)))]

    register_section("loans", loans_section, order=30)
    register_export("loans", loans_export, order=30)

The engine's own section and the repairs section are registered by this app
(reports/report_providers.py, as the other apps were built first); equipment_loans
(order 30: items out, overdue returns), dmc_emis (order 40: schools certified on time per
round) and workplans (order 50: KPIs against targets, budget) plug in with a
``report_providers.py`` of their own, as above, with no change here. ``order`` sorts the
sections of the report and the files of the pack; keys are unique (registering a key again
replaces the provider, so a reload does not duplicate it).

A **case-section provider** ``(case) -> Section | None``, registered with
``register_case_section(key, provider, order=...)``, adds the app's records of one case to that
case's dossier PDF (a training's participants and evaluation results, a log register…); None
when the app has nothing for the case.

A provider gets the office (the tenant) and the Buddhist-era fiscal year, and must count only
that office's rows of that year. Providers run in the Celery worker, not in a request; the
access check (who may have the report or the pack) is made once, by the reports app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import tablib
from django.utils.module_loading import autodiscover_modules

__all__ = [
    "ExportFile",
    "Indicator",
    "Section",
    "Table",
    "autodiscover",
    "case_section_providers",
    "export_providers",
    "register_case_section",
    "register_export",
    "register_section",
    "section_providers",
]


# A table with more columns than this does not fit A4 portrait at the report's type size.
PORTRAIT_COLUMNS = 6


@dataclass
class Table:
    """A table of the report: headers and rows of plain values (numbers are right-aligned).

    `appendix` moves the table to the report's appendices (the chapter refers to it there);
    a wide table (more than PORTRAIT_COLUMNS columns) always goes there, on landscape pages.
    """

    title: str
    headers: list[str]
    rows: list[list[object]]
    note: str = ""
    appendix: bool = False

    @property
    def wide(self) -> bool:
        return len(self.headers) > PORTRAIT_COLUMNS

    @property
    def in_appendix(self) -> bool:
        return self.appendix or self.wide


@dataclass
class Indicator:
    """A plan's indicator for the executive summary: what was targeted, what was achieved."""

    name: str
    target: str
    result: str
    achieved: bool | None  # None: no result reported yet
    source: str = ""


@dataclass
class Section:
    """One app's part of the yearly report.

    `figures` are the headline numbers as (label, value) pairs, the first `headline` of which
    also appear in the executive summary (the same objects, so one figure has one value);
    `intro` tells what was done in words, `highlights` are short sentences drawn from the data;
    `charts` are SVG strings from `core.charts` (inserted as they are: only pass that
    module's output); `blocks` are sub-sections (one per process, for instance), themselves
    Sections, shown in the table of contents one level down; `indicators` are plan indicators
    for the executive summary.
    """

    key: str
    title: str
    intro: str = ""
    figures: list[tuple[str, object]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    blocks: list[Section] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    headline: int = 3
    # The area of work (processes.models.Area value) whose chapter this section joins, as a
    # part of it, when the engine reports that area; else it is a chapter of its own.
    area: str = ""
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def headline_figures(self) -> list[tuple[str, object]]:
        return self.figures[: self.headline]


@dataclass
class ExportFile:
    """One workbook of the pack; `title` heads its sheet (default: the file name's stem)."""

    filename: str
    dataset: tablib.Dataset
    title: str = ""


SectionProvider = Callable[..., Section | None]
ExportProvider = Callable[..., list[ExportFile]]

_sections: dict[str, tuple[int, SectionProvider]] = {}
_exports: dict[str, tuple[int, ExportProvider]] = {}
_case_sections: dict[str, tuple[int, SectionProvider]] = {}


def register_section(key: str, provider: SectionProvider, *, order: int = 100) -> None:
    _sections[key] = (order, provider)


def register_export(key: str, provider: ExportProvider, *, order: int = 100) -> None:
    _exports[key] = (order, provider)


def register_case_section(key: str, provider: SectionProvider, *, order: int = 100) -> None:
    _case_sections[key] = (order, provider)


def case_section_providers() -> list[tuple[str, SectionProvider]]:
    items = sorted(_case_sections.items(), key=lambda i: (i[1][0], i[0]))
    return [(key, p) for key, (_o, p) in items]


def section_providers() -> list[tuple[str, SectionProvider]]:
    return [(key, p) for key, (_o, p) in sorted(_sections.items(), key=lambda i: (i[1][0], i[0]))]


def export_providers() -> list[tuple[str, ExportProvider]]:
    return [(key, p) for key, (_o, p) in sorted(_exports.items(), key=lambda i: (i[1][0], i[0]))]


def autodiscover() -> None:
    autodiscover_modules("report_providers")
