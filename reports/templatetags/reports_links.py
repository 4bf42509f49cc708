"""Links to a case's documents (dossier, one memo per approval task, documents issued, the
appointment order to propose), for the case pages."""

from django import template

from documents.orders import members_of
from documents.selectors import can_keep_registers, documents_of_case
from documents.services import order_pending_or_issued
from reports.selectors import approval_tasks_of

register = template.Library()


@register.simple_tag(takes_context=True)
def case_documents(context, case) -> dict:
    user = context.get("user")
    can_propose = bool(
        user is not None
        and user.is_authenticated
        and can_keep_registers(user)
        and members_of(case)[1]
        and not order_pending_or_issued(case)
    )
    return {
        "approval_tasks": approval_tasks_of(case),
        "issued": documents_of_case(case),
        "can_propose_order": can_propose,
    }
