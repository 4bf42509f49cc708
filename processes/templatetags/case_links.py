"""{% case_links case as links %}: what domain apps link from a case page (processes.case_links)."""

from django import template

from processes.case_links import links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def case_links(context, case) -> list:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return links_for(case, user)
