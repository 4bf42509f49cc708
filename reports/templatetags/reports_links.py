"""Links to a case's documents (dossier, one memo per approval task), for the case pages."""

from django import template

from reports.selectors import approval_tasks_of

register = template.Library()


@register.simple_tag
def case_documents(case) -> dict:
    return {"approval_tasks": approval_tasks_of(case)}
