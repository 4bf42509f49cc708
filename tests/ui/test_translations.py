"""Our catalogue: Thai for the portal's own English msgids, and overrides of Django's Thai."""

from __future__ import annotations

import ast
import re
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
from django.utils.translation import gettext

from tests.ui.english import ALLOWED, READ_ATTRIBUTES, WORD

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_our_catalogue_overrides_djangos_thai():
    """LOCALE_PATHS come before Django's own catalogues, so our wording wins."""
    with translation.override("th"):
        invalid = str(AuthenticationForm.error_messages["invalid_login"]) % {"username": "ชื่อผู้ใช้"}
        assert invalid.startswith("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
        assert gettext("This account is inactive.") == "บัญชีนี้ถูกระงับการใช้งาน"


def test_portal_strings_have_thai_and_english():
    with translation.override("th"):
        assert gettext("ICT Office Portal") == "ระบบงานกลุ่มส่งเสริมการศึกษาทางไกลฯ"
        assert gettext("Log in") == "เข้าสู่ระบบ"
        assert gettext("My tasks") == "งานของฉัน"
    with translation.override("en"):
        assert gettext("ICT Office Portal") == "ICT Office Portal"
        assert gettext("Log in") == "Log in"


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def po_entries(path: Path) -> list[dict]:
    """Active entries of a .po file: flags, msgid, msgid_plural and msgstr (or msgstr[0])."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        entry: dict = {"flags": "", "msgid": [], "msgid_plural": [], "msgstr": []}
        current = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith(("msgid_plural ", "msgid ", "msgstr ", "msgstr[0] ")):
                keyword, rest = line.split(" ", 1)
                current = {"msgstr[0]": "msgstr"}.get(keyword, keyword)
                entry[current].append(rest)
            elif line.startswith("msgstr["):
                current = None  # further plural forms: Thai has one
            elif line.startswith('"') and current:
                entry[current].append(line)
        entries.append({k: v if k == "flags" else _unquote(v) for k, v in entry.items()})
    return [e for e in entries if e["msgid"]]  # skip the header


@pytest.mark.parametrize("language", ["th", "en"])
def test_catalogues_have_no_fuzzy_entries_and_are_compiled(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    entries = po_entries(po)
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries are ignored by compilemessages: {fuzzy[:3]}"
    with (po.with_suffix(".mo")).open("rb") as mo_file:
        mo = GNUTranslations(mo_file)
    stale = [
        e["msgid"]
        for e in entries
        if e["msgstr"] and not e["msgid_plural"] and mo.gettext(e["msgid"]) != e["msgstr"]
    ]
    assert not stale, f"django.mo is out of date (run compilemessages): {stale[:3]}"


def test_every_thai_msgid_is_translated():
    entries = po_entries(LOCALE / "th" / "LC_MESSAGES" / "django.po")
    untranslated = [e["msgid"] for e in entries if not e["msgstr"]]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:5]}"


# An attribute people hear or read, written as an English literal in a template: the page scan
# (test_thai_pages) opens only the menu pages, so a detail page's literal would slip through.
LITERAL_ATTRIBUTE = re.compile(rf'\b({"|".join(READ_ATTRIBUTES)})="([^"]*)"')
TEMPLATE_CODE = re.compile(
    r"\{% blocktrans.*?\{% endblocktrans\w* %\}|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S
)
COMMENT_BLOCK = re.compile(r"\{% comment %\}.*?\{% endcomment %\}", re.S)


def test_templates_translate_the_attributes_people_read():
    base = Path(settings.BASE_DIR)
    templates = [*base.glob("templates/**/*.html"), *base.glob("*/templates/**/*.html")]
    literals = []
    for path in templates:
        source = COMMENT_BLOCK.sub("", path.read_text(encoding="utf-8"))
        for name, value in LITERAL_ATTRIBUTE.findall(source):
            words = [w for w in WORD.findall(TEMPLATE_CODE.sub(" ", value)) if w not in ALLOWED]
            if words:
                literals.append(f"{path.relative_to(base)}: {name}={value!r}")
    assert templates and not literals, literals[:5]
