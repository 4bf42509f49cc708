"""Fill or correct Thai translations in locale/th/LC_MESSAGES/django.po from a small table.

    .venv/bin/python scripts/po_fill.py 'English msgid=Thai text' ...

Clears the fuzzy flag of the entries it sets. Use after makemessages for a handful of new
strings; compile with `manage.py compilemessages --ignore=.venv` afterwards.
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "th" / "LC_MESSAGES" / "django.po"


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _without_fuzzy(line: str) -> str:
    if not line.startswith("#,"):
        return line
    flags = [flag.strip() for flag in line[2:].split(",") if flag.strip() != "fuzzy"]
    return "#, " + ", ".join(flags) if flags else "#,"


def main(pairs: list[str]) -> None:
    content = PO.read_text("utf-8")
    blocks = content.split("\n\n")
    wanted = dict(pair.split("=", 1) for pair in pairs)
    for index, block in enumerate(blocks):
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ', block, re.M)
        if not match:
            continue
        msgid = "".join(re.findall(r'"(.*)"', match.group(1))).replace('\\"', '"')
        if msgid in wanted:
            head = block[: match.start()]
            head = "\n".join(
                _without_fuzzy(line) for line in head.splitlines() if not line.startswith("#| ")
            )
            head = "\n".join(line for line in head.splitlines() if line != "#,")
            body = f"msgid {quote(msgid)}\nmsgstr {quote(wanted.pop(msgid))}"
            blocks[index] = f"{head}\n{body}" if head else body
    if wanted:
        sys.exit(f"not in the catalogue: {', '.join(wanted)}")
    PO.write_text("\n\n".join(blocks), "utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
