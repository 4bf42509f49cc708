"""Load the demo office (one สพป., 36 schools, one login per role) and print the logins.

Idempotent: rows that exist are left alone, so ./run.sh calls it on every start.
"""

import unicodedata

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.demo import DEFAULT_PASSWORD, demo_logins, seed_demo


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: Thai vowel and tone marks take none."""
    return sum(
        0 if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf") else 1
        for ch in text
    )


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(display_width(str(cell)) for cell in column)
        for column in zip(headers, *rows, strict=True)
    ]
    lines = ["  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Create the demo office, schools and users (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"password of new demo users (default: {DEFAULT_PASSWORD})",
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="also set --password on demo users that already exist",
        )

    def handle(self, *args, password: str, reset_passwords: bool, **options):
        report = seed_demo(password=password, reset_passwords=reset_passwords)
        self.stdout.write(
            self.style.SUCCESS(
                # th: สำนักงานตัวอย่าง %(office)s: โรงเรียน %(schools)d แห่ง (ใหม่ %(new_schools)d),
                #     ผู้ใช้ %(users)d คน (ใหม่ %(new_users)d)
                _(
                    "Demo office %(office)s: %(schools)d schools (%(new_schools)d new), "
                    "%(users)d users (%(new_users)d new)."
                )
                % {
                    "office": report.office,
                    "schools": len(report.schools),
                    "new_schools": report.schools_created,
                    "users": len(report.users),
                    "new_users": report.users_created,
                }
            )
        )
        if report.passwords_reset:
            # th: ตั้งรหัสผ่านใหม่ให้ผู้ใช้ %(count)d คน
            self.stdout.write(_("Passwords reset: %(count)d.") % {"count": report.passwords_reset})
        if options["verbosity"] < 1:
            return
        rows = [[login.username, login.role_th, login.school or "-"] for login in demo_logins()]
        headers = [
            _("Username"),  # th: ชื่อผู้ใช้
            _("Role"),  # th: บทบาท
            _("School"),  # th: โรงเรียน
        ]
        self.stdout.write("")
        self.stdout.write(format_table([str(h) for h in headers], rows))
        if report.users_created or reset_passwords:
            # th: รหัสผ่านของผู้ใช้ตัวอย่างทุกคน: %(password)s
            self.stdout.write(
                _("Password for every demo user: %(password)s") % {"password": password}
            )
        else:
            # th: ผู้ใช้ตัวอย่างมีอยู่แล้ว รหัสผ่านเดิมไม่เปลี่ยน (ค่าเริ่มต้น %(password)s)
            self.stdout.write(
                _(
                    "Demo users already existed; their passwords are unchanged "
                    "(default %(password)s)."
                )
                % {"password": DEFAULT_PASSWORD}
            )
