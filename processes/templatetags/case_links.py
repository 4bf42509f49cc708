"""{% case_links case as links %}: what domain apps link from a case page (processes.case_links)."""

from django import template
from django.template.context import Context

from processes.case_links import CaseLink, links_for
from processes.models import Case

register = template.Library()


@register.simple_tag(takes_context=True)
def case_links(context: Context, case: Case) -> list[CaseLink]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return links_for(case, user)
