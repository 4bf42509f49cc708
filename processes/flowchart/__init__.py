"""Draw a work-process definition as a flowchart, server-side, as a standalone SVG.

The operations manuals draw every process the same way: a start oval, boxes for tasks,
diamonds for the director's decisions, arrows down the page, return loops drawn back up the
side, and an end oval. :func:`render_flowchart_svg` draws that picture from plain data (lists
of mappings), so it serves a stored definition and an imported JSON file alike. It needs no
JavaScript and no network.

The work is done in four steps, one module each:

* :mod:`.model` reads the steps and transitions into nodes and edges (each edge with its route:
  next, back, skip or self);
* :mod:`.layout` wraps the names (Thai word breaking from :mod:`core.thaitext`), sizes the
  shapes, gives the side edges their lanes and ports, and stacks the column;
* :mod:`.routing` gives each edge its line and the place of its label;
* :mod:`.draw` writes the SVG markup and the description read to screen readers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from . import draw
from .draw import FONT_FAMILY
from .layout import lay_out
from .model import build_edges, build_nodes, items, word
from .routing import route
from .text import clean
from .text import wrap as _wrap

__all__ = ["FONT_FAMILY", "_wrap", "render_flowchart_svg"]

logger = logging.getLogger(__name__)


def render_flowchart_svg(
    steps: Sequence[Mapping[str, object]],
    transitions: Sequence[Mapping[str, object]],
    *,
    title: str = "",
    lang: str = "th",
) -> str:
    """Draw the process as a standalone, responsive SVG flowchart and return its markup.

    ``steps`` are in the manual's order (the first is where the process starts); each has
    ``key``, ``name_th``, ``name_en``, ``kind`` (task, approval, notify, wait_until, end) and
    optionally ``days_min``/``days_max`` (working days), ``responsible`` (a role code) and
    ``approvers`` (role codes, for an approval). ``transitions`` have ``from``, ``outcome``
    and ``to`` (step keys). ``lang`` is ``"th"`` or ``"en"``.

    Odd input never raises: unknown kinds draw as tasks, transitions naming unknown steps are
    left out, and no steps at all gives a small picture saying so.
    """
    lang = "en" if clean(lang).lower().startswith("en") else "th"
    title_text = clean(title)
    try:
        return _render(steps, transitions, title_text, lang)
    except Exception:  # the picture is an extra: a bad definition must not break the page
        logger.exception("Could not draw a flowchart")
        uid = draw.uid_for(title_text, "error")
        return draw.message_svg(word("error", lang), title_text, lang, uid)


def _render(steps: object, transitions: object, title: str, lang: str) -> str:
    step_items = items(steps)
    transition_items = items(transitions)
    uid = draw.uid_for(step_items, transition_items, title, lang)
    if not step_items:
        return draw.message_svg(word("empty", lang), title, lang, uid)
    nodes, index_of = build_nodes(step_items, lang)
    edges = build_edges(transition_items, index_of, lang)
    layout = lay_out(nodes, edges)
    routes = [route(edge, number, nodes, layout) for number, edge in enumerate(edges)]
    return draw.picture(nodes, edges, routes, layout, title=title, lang=lang, uid=uid)
