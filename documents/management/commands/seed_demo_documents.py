"""Document settings of the demo office and a self-signed office certificate (demo only), then
the memos of approvals the demo data decided before, frozen. Idempotent (./run.sh runs it)."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand

from accounts.demo import OFFICE
from accounts.models import Office, RoleCode
from documents.models import OfficeDocumentSettings
from documents.services import decided_memos_freeze
from documents.signing import self_signed_pkcs12


class Command(BaseCommand):
    help = "Set up the demo office's document settings and signing certificate; freeze memos."

    def handle(self, *args, **options) -> None:
        office = Office.objects.filter(code=OFFICE["code"]).first()
        if office is None:
            self.stderr.write("Run seed_demo first.")
            return
        current, _created = OfficeDocumentSettings.objects.get_or_create(
            office=office,
            defaults={
                "office_name": office.name_th,
                "group_name": office.ict_group_name,
                "letter_code": "ศธ 04123",
                "group_suffix": "17",
                "telephone": office.phone or "0 4300 0000",
                "order_signer": office.users.filter(roles__code=RoleCode.DIRECTOR).first(),
            },
        )
        if not current.signing_certificate:
            passphrase = settings.DOCUMENT_SIGNING_PASSPHRASE.encode() or None
            data = self_signed_pkcs12(f"{office.short_name or office.name_th} (demo)", passphrase)
            current.signing_certificate.save("demo-office.p12", ContentFile(data))
            self.stdout.write("Created a self-signed demo certificate for the office.")
        frozen = decided_memos_freeze()
        self.stdout.write(f"Document settings ready; {frozen} earlier memos frozen.")
