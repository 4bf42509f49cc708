"""Freeze the memos of approvals decided before the portal froze documents at the decision.

    python manage.py freeze_decided_memos

Each gets an outgoing register number now (in decision order), is rendered once from the case
as it stands, stored with its SHA-256, and marked "frozen after the decision" with the date it
was frozen (shown on the verification page). Safe to run again: decided memos already frozen
are skipped.
"""

from django.core.management.base import BaseCommand

from documents.services import decided_memos_freeze


class Command(BaseCommand):
    help = "Issue and freeze the memos of approvals decided before documents were frozen."

    def handle(self, *args, **options) -> None:
        count = decided_memos_freeze()
        self.stdout.write(f"{count} memos frozen.")
