"""Status choices that carry their colour: label and colour are defined once, on the choices.

A status enum subclasses :class:`ColouredChoices` instead of ``models.TextChoices`` and names
a Bootstrap colour for each member in ``__colours__`` (a dunder name, so the enum does not
take it for a member)::

    class Status(ColouredChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

        __colours__ = {"open": "primary", "closed": "success"}

``Status.CLOSED.colour`` is ``"success"``, ``Status.CLOSED.badge`` is ``"text-bg-success"``,
and ``Status.colour_of(value)`` answers for a raw value as a model field holds it. A model
exposes the colour of its status as a property (``status_colour``), templates use that and
compare statuses with the enum (``{% if ticket.status == ticket.Status.CLOSED %}``; Django's
choices can be used in templates), never with a raw string.

This module imports no app of the project.
"""

from __future__ import annotations

from django.db import models

__all__ = ["COLOURS", "ColouredChoices"]

# The Bootstrap 5 theme colours a status may take.
COLOURS = frozenset(
    {"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"}
)
DEFAULT_COLOUR = "secondary"


class ColouredChoices(models.TextChoices):
    """``TextChoices`` whose members each name a Bootstrap colour (see the module's notes)."""

    @classmethod
    def colour_of(cls, value: object) -> str:
        """The colour of the member whose value is ``value``; grey for an unknown value."""
        colours: dict[str, str] = getattr(cls, "__colours__", {})
        return colours.get(str(value), DEFAULT_COLOUR)

    @property
    def colour(self) -> str:
        return type(self).colour_of(self.value)

    @property
    def badge(self) -> str:
        """The CSS class of a Bootstrap badge in this member's colour."""
        return f"text-bg-{self.colour}"
