"""Demo data rounds: this and next academic year's rounds of every duty (the yearly calendar
from the templates; duties without a manual's date stay without a deadline until the office
opens them), the demo ICT officer named responsible for each, the nearest DMC round opened for
the demo office's schools, and a student export with a few problems imported into it.

Runs after `load_catalogue` and `seed_demo`; does nothing the second time.
"""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from dmc_emis.models import Round
from dmc_emis.services import import_run, import_upload, round_open, rounds_create_for_next_year


def with_check_digit(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


class Command(BaseCommand):
    help = "Create demo DMC/EMIS rounds in the demo office (idempotent)."

    def handle(self, *args, **options):
        staff = User.objects.filter(username="staff1").select_related("office").first()
        if staff is None:
            raise CommandError("Run `manage.py seed_demo` first.")
        today = timezone.localdate()
        created = rounds_create_for_next_year(today=today)
        for duty in Round.objects.filter(office=staff.office, responsible_staff__isnull=True):
            duty.responsible_staff.add(staff)
        demo = (
            Round.objects.filter(
                office=staff.office, kind__startswith="dmc", deadline_on__gte=today
            )
            .order_by("deadline_on")
            .first()
        )
        if demo is None or demo.is_open:
            self.stdout.write(self.style.SUCCESS(f"Demo data rounds: {created} created."))
            return
        opened = round_open(round_=demo, user=staff)
        demo.refresh_from_db()
        data_import = import_upload(round_=demo, user=staff, upload=self.export(demo))
        import_run(import_id=data_import.pk)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data rounds: {created} created; {demo.title} opened for {opened} schools."
            )
        )

    @staticmethod
    def export(round_: Round) -> SimpleUploadedFile:
        assert round_.deadline_on is not None  # DMC rounds carry the national date
        rng = random.Random(2569)
        lines = ["รหัสโรงเรียน,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,ชั้น,เพศ,วันเกิด"]
        schools = list(round_.entries.select_related("school").order_by("school__obec_code")[:6])
        number = 0
        for entry in schools:
            for grade in range(1, 7):
                for _ in range(rng.randint(3, 6)):
                    number += 1
                    national_id = with_check_digit(f"1{57000000000 + number:011d}")
                    if number % 23 == 0:  # a mistyped check digit for the school to correct
                        national_id = national_id[:12] + str((int(national_id[12]) + 1) % 10)
                    born = round_.deadline_on - datetime.timedelta(days=365 * (5 + grade) + 90)
                    lines.append(
                        f"{entry.school.obec_code},{national_id},เด็กหญิงตัวอย่าง{number},ทดสอบ,"
                        f"ป.{grade},{'ญ' if number % 2 else 'ช'},"
                        f"{born.day:02d}/{born.month:02d}/{born.year + 543}"
                    )
        return SimpleUploadedFile("demo-dmc.csv", "\n".join(lines).encode("utf-8"), "text/csv")
