"""Find English UI words on a page served in Thai.

The visible text (and the placeholder, title, aria-label and alt attributes people read or
hear) is scanned for Latin-letter words; proper names and file formats of the allow-list are
fine, as are codes with digits (RP-2570-000123) and anything inside <code>, <kbd> or an element
marked `translate="no"` (usernames, e-mail addresses, data people typed).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOWED = {
    # proper names, programmes and systems
    "DLTV", "DLIT", "DMC", "EMIS", "ICT", "OBEC", "SMIS", "LINE", "Official", "Account",
    "Messaging", "API", "Wi-Fi", "LAN", "Google", "Microsoft", "Excel", "Word", "ODT",
    # formats and units
    "PDF", "XLSX", "CSV", "JSON", "YAML", "SVG", "PNG", "JPEG", "MB", "KB", "GB", "ID", "URL",
    "QR", "IP", "TH", "EN", "HTML", "PADES", "PAdES", "ZIP", "CCTV", "SWOT", "UTC", "AMQP",
    "RabbitMQ", "Redis", "Celery", "CELERY_TASK_QUEUES", "CELERY", "crontab", "Mac", "Control",
    "Command",
    # the language switcher names each language in its own tongue
    "English",
}  # fmt: skip
SKIP_TAGS = {"script", "style", "code", "kbd", "samp", "pre", "template", "noscript", "textarea"}
LONG_LIST = 40  # a select with more options than this lists data (time zones, people)
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
WORD = re.compile(r"(?<![\w@./:-])[A-Za-z][A-Za-z'-]*[A-Za-z](?![\w@/-]*\d)(?![\w]*[@.]\w)")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.chunks: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = tag in SKIP_TAGS or attributes.get("translate") == "no" or "hidden" in attributes
        skip = skip or (tag == "select" and attributes.get("data-options-count") == "long")
        if not self._skipping() and not skip:
            for name in READ_ATTRIBUTES:
                if attributes.get(name):
                    self.chunks.append(attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button"):
                self.chunks.append(attributes.get("value") or "")
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._skipping():
            self.chunks.append(data)


def _mark_long_selects(html: str) -> str:
    def mark(match: re.Match) -> str:
        whole = match.group(0)
        if whole.count("<option") > LONG_LIST:
            return whole.replace("<select", '<select data-options-count="long"', 1)
        return whole

    return re.sub(r"<select\b.*?</select>", mark, html, flags=re.S)


def visible_text(html: str) -> str:
    html = _mark_long_selects(html)
    parser = _TextParser()
    parser.feed(html)
    return "\n".join(chunk.strip() for chunk in parser.chunks if chunk.strip())


def english_words(html: str, allowed: set[str] = frozenset()) -> list[str]:
    """Latin-letter words of the page's readable text outside the allow-list, in order."""
    words = []
    for word in WORD.findall(visible_text(html)):
        if word in ALLOWED or word in allowed or word.upper() in ALLOWED:
            continue
        words.append(word)
    return list(dict.fromkeys(words))
