"""Import schools from a CSV or XLSX file with Thai headers (see accounts/resources.py).

    manage.py import_schools schools.xlsx [--dry-run] [--format csv|xlsx]

All or nothing: if any row is wrong, every error is printed (row number and what to fix, in
Thai), nothing is stored and the command exits with status 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.resources import import_schools


class Command(BaseCommand):
    help = "Import or update schools from a CSV or XLSX file with Thai column headers."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the .csv or .xlsx file")
        parser.add_argument(
            "--format",
            choices=["csv", "xlsx"],
            help="file format (default: from the file name's extension)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file only; store nothing"
        )

    def handle(self, *args, path: Path, format: str | None, dry_run: bool, **options):
        if not path.is_file():
            # th: ไม่พบไฟล์ %(path)s
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        file_format = format or path.suffix.lower().lstrip(".")
        result = import_schools(path.read_bytes(), file_format, dry_run=dry_run)
        for line in result.error_lines():
            self.stderr.write(line)
        if result.has_errors:
            raise CommandError(
                # th: ไม่ได้บันทึกข้อมูลใด ๆ: พบข้อผิดพลาด %(count)d แถว
                _("Nothing was stored: %(count)d rows have errors.") % {"count": len(result.errors)}
            )
        counts = {"created": result.created, "updated": result.updated, "total": result.total}
        if dry_run:
            # th: ตรวจสอบแล้ว ไม่ได้บันทึก: เพิ่มใหม่ %(created)d แก้ไข %(updated)d จาก %(total)d แถว
            message = _(
                "Checked, nothing stored: %(created)d new, %(updated)d updated of %(total)d rows."
            )
        else:
            # th: นำเข้าโรงเรียนแล้ว: เพิ่มใหม่ %(created)d แก้ไข %(updated)d จาก %(total)d แถว
            message = _("Schools imported: %(created)d new, %(updated)d updated of %(total)d rows.")
        self.stdout.write(self.style.SUCCESS(message % counts))
