"""{% due_badge task %}: a task's due-state badge, written in Python.

Lists show it on every row (my tasks, the inbox, the home page); as an included template it
cost an include, a `with` and the due state worked out twice per row (once for the label,
once for the colour), which on a list of fifty was a good part of the page. The markup is the
one `processes/includes/due_badge.html` wrote.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.thaitime import format_thai_date
from processes.models import DueState, Task

register = template.Library()


@register.simple_tag(takes_context=True)
def due_badge(context: template.Context, task: Task) -> SafeString:
    # One date for the whole page: the state of every row is read against the same day.
    today = context.get("today")
    if not isinstance(today, datetime.date):
        today = timezone.localdate()
    state = task.due_state(today)
    colour = escape(state.colour)
    label = escape(state.label)
    if state == DueState.UNTIMED:
        waiting = ""
        if task.is_open:
            days = task.waiting_working_days
            waiting = " · " + escape(
                ngettext("waiting %(days)s working day", "waiting %(days)s working days", days)
                % {"days": days}
            )
        return mark_safe(f'<span class="badge text-bg-{colour}">{label}{waiting}</span>')
    due = escape(format_thai_date(task.due_on)) if task.due_on else ""
    shown = f" · {due}" if task.due_on and state != DueState.PAUSED else ""
    return mark_safe(
        f'<span class="badge text-bg-{colour}" title="{escape(_("Due"))} {due}">'
        f"{label}{shown}</span>"
    )
