"""Draw a work-process definition as a flowchart, server-side, as a standalone SVG.

The operations manuals draw every process the same way: a start oval, boxes for tasks,
diamonds for the director's decisions, arrows down the page, return loops drawn back up the
side, and an end oval. :func:`render_flowchart_svg` draws that picture from plain data (lists
of mappings), so it serves a stored definition and an imported JSON file alike. It needs no
JavaScript, no network and no packages beyond the standard library.

Layout, in short:

* the steps stand in one centred column, in the manual's order, top to bottom;
* an edge to the very next step is a straight arrow down the column;
* an edge back to an earlier step runs in a lane on the left, an edge that skips ahead runs in
  a lane on the right; every such edge gets a lane of its own (edges whose vertical spans meet
  never share one), and edges that share a box leave and enter it at separate points, ordered
  so that their lines do not cross near the box;
* a step that leads to itself gets a small loop on its right.

Text sizes are estimated (there is no font engine on the server), generously enough for
Sarabun and for the Tlwg fonts that stand in for it where Sarabun is missing.
"""

from __future__ import annotations

import hashlib
import html
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

FONT_FAMILY = "Sarabun, 'TH Sarabun New', sans-serif"

# --- text and geometry constants (SVG user units = CSS px at 100 %) -----------------------

_FS = 14.0  # step text
_LH = 20.0  # step text line height
_META_FS = 11.5  # grey time / role lines under a box
_META_LH = 14.5
_META_W = 230.0  # widest grey line before it wraps
_LABEL_FS = 12.0  # outcome labels on edges
_MARGIN = 14.0
_BOX_W = 250.0  # task / notify / wait boxes
_BOX_PAD_X = 14.0
_MAX_LINES = 8  # a name longer than this many lines is cut short with an ellipsis
_MAX_CHARS = 600  # nor is more than this much of it ever wrapped
_PORT_SP = 20.0  # vertical distance between two edge ends on one side of a box
_LANE_GAP = 16.0  # from the widest thing beside the column to the first lane
_LANE_SP = 14.0  # between lanes
_ARROW_LEN = 8.0
_ARROW_HALF = 4.5
_LOOP_OUT = 22.0  # how far a self-loop sticks out

_TEXT = "#1f2937"
_META = "#6b7280"

# kind -> (fill, stroke)
_COLOURS = {
    "start": ("#eceff1", "#546e7a"),
    "task": ("#e3f2fd", "#1e88e5"),
    "approval": ("#fff3e0", "#ef6c00"),
    "notify": ("#e8f5e9", "#43a047"),
    "wait_until": ("#f3e5f5", "#8e24aa"),
    "end": ("#eceff1", "#546e7a"),
}
_KINDS = frozenset({"task", "approval", "notify", "wait_until", "end"})

# outcome -> edge colour; anything else draws in the neutral colour
_EDGE_COLOURS = {
    "approve": "#2e7d32",
    "return": "#b45309",
    "reject": "#c62828",
}
_EDGE_NEUTRAL = "#475569"

_OUTCOME_LABELS = {
    "done": ("", ""),
    "approve": ("อนุมัติ", "Approve"),
    "return": ("ส่งกลับแก้ไข", "Return"),
    "reject": ("ไม่อนุมัติ", "Reject"),
    "acknowledge": ("", ""),
    "cancel": ("ยกเลิก", "Cancel"),
}

_ROLE_LABELS = {
    "staff": ("เจ้าหน้าที่", "Staff"),
    "group_head": ("ผอ.กลุ่ม", "Group head"),
    "deputy_director": ("รอง ผอ.สพท.", "Deputy director"),
    "director": ("ผอ.สพท.", "Director"),
    "requester": ("ผู้ยื่นคำขอ", "Requester"),
    "school_user": ("สถานศึกษา", "School"),
    "school_director": ("ผอ.สถานศึกษา", "School director"),
    "admin": ("ผู้ดูแลระบบ", "Administrator"),
}

_WORDS = {
    "start": ("เริ่มต้น", "Start"),
    "end": ("สิ้นสุด", "End"),
    "empty": ("ไม่มีขั้นตอน", "No steps"),
    "error": ("ไม่สามารถวาดผังงานได้", "The flowchart could not be drawn"),
    "chart": ("ผังงาน", "Flowchart"),
    "step": ("ขั้นตอน", "Step"),
}


def _word(name: str, lang: str) -> str:
    th, en = _WORDS[name]
    return en if lang == "en" else th


# --- text helpers --------------------------------------------------------------------------

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


def _clean(value: object) -> str:
    """Any value as a one-line string with nothing in it that XML forbids; never raises."""
    if value is None:
        return ""
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:
        return ""
    return _SPACES.sub(" ", _INVALID_XML.sub("", text)).strip()


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _num(value: float) -> str:
    """Coordinates with at most one decimal and no trailing ``.0``."""
    if not math.isfinite(value):
        return "0"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# Characters that attach to the one before them and so may never begin a line: the Thai
# above/below vowels and tone marks, and the following vowels that cannot stand alone.
_TH_NO_START = frozenset(
    "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
    "\u0e45\u0e46\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e\u0e2f"
)
# Leading vowels are written before the consonant they belong to: never end a line with one.
_TH_LEADING = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
# After these a Thai syllable has usually ended.
_TH_SYLLABLE_END = frozenset("\u0e30\u0e33\u0e4c\u0e46")
_NO_LINE_START = frozenset(",.;:!?)]}%'\"\u2026\u201d\u2019")
_NO_LINE_END = frozenset("([{\u201c\u2018")
_ZWSP = "\u200b"
_EN_DASH = "\u2013"

# Words of the manuals' vocabulary; the wrapper prefers to break at their edges.
_VOCABULARY = """
    การ ความ ของ และ หรือ ให้ ได้ ที่ ใน จาก ถึง ตาม โดย เพื่อ กับ แก่ ต่อ ผล ผู้ ทุก ทั้ง
    แต่งตั้ง คณะ คณะทำงาน คณะกรรมการ กรรมการ ทำงาน ศึกษา การศึกษา วิเคราะห์ ข้อมูล สภาพ ปัจจุบัน
    ปัญหา ประชุม จัดทำ ร่าง แผน แผนงาน แผนพัฒนา พัฒนา คุณภาพ ด้าน เทคโนโลยี ดิจิทัล สารสนเทศ
    เสนอ ผู้อำนวยการ รองผู้อำนวยการ สำนักงาน เขต พื้นที่ เขตพื้นที่ พิจารณา อนุมัติ เผยแพร่ สู่
    สถานศึกษา โรงเรียน รายงาน ผู้บริหาร ทราบ ตรวจสอบ ซ่อม ซ่อมแซม บำรุง บำรุงรักษา ครุภัณฑ์
    อุปกรณ์ คอมพิวเตอร์ เครือข่าย อินเทอร์เน็ต ระบบ ยืม คืน คำขอ ยื่น บันทึก ข้อความ เอกสาร
    ลงนาม แจ้ง ส่ง รับ ประเมิน ติดตาม สรุป จัดซื้อ จัดจ้าง ดำเนินการ โครงการ กิจกรรม ประกาศ
    หนังสือ เวียน คำสั่ง ขั้นตอน งาน กลุ่ม กลุ่มงาน ส่งเสริม สนับสนุน บริการ ผู้ใช้ ผู้ยื่น
    ผู้รับผิดชอบ เจ้าหน้าที่ ประสาน ประสานงาน จัดเก็บ จัดส่ง อบรม ฝึกอบรม ครู บุคลากร นักเรียน
    งบประมาณ ปีงบประมาณ เบิก จ่าย เบิกจ่าย ขอ อนุญาต ตรวจรับ ส่งมอบ ติดตั้ง ทดสอบ แก้ไข
    ปรับปรุง ทบทวน กำหนด วางแผน ข้อเสนอ แนะ ข้อเสนอแนะ สั่งการ มอบหมาย ลง รับทราบ ผ่าน
    เว็บไซต์ ออนไลน์ ข่าว ประชาสัมพันธ์ คู่มือ มาตรฐาน ตัวชี้วัด เป้าหมาย ยุทธศาสตร์ นโยบาย
"""
_THAI_WORDS = frozenset(_VOCABULARY.split())
_THAI_WORD_MAX = max(len(word) for word in _THAI_WORDS)


def _is_attached(ch: str) -> bool:
    """True for a character that belongs to the one before it (never starts a line)."""
    return ch in _TH_NO_START or unicodedata.category(ch) in ("Mn", "Me", "Mc")


def _char_width(ch: str, size: float) -> float:
    if _is_attached(ch) and ch not in "\u0e30\u0e32\u0e33\u0e45\u0e46\u0e2f":
        return 0.0
    if ch == _ZWSP:
        return 0.0
    code = ord(ch)
    if 0x0E00 <= code <= 0x0E7F:
        factor = 0.62
    elif ch == " ":
        factor = 0.3
    elif ch.isascii():
        if ch in "MWmw@":
            factor = 0.85
        elif ch.isupper() or ch.isdigit():
            factor = 0.64
        elif ch in "il.,:;'|!()[]{}":
            factor = 0.32
        else:
            factor = 0.56
    elif unicodedata.east_asian_width(ch) in ("W", "F"):
        factor = 1.0
    else:
        factor = 0.62
    return factor * size


def _text_width(text: str, size: float, *, bold: bool = False) -> float:
    width = sum(_char_width(ch, size) for ch in text)
    return width * 1.06 if bold else width


def _dictionary_boundaries(text: str) -> set[int]:
    """Edges of known Thai words, found by greedy longest match from the left."""
    cuts: set[int] = set()
    i, n = 0, len(text)
    while i < n:
        found = 0
        if "\u0e01" <= text[i] <= "\u0e5b":
            for length in range(min(_THAI_WORD_MAX, n - i), 1, -1):
                if text[i : i + length] in _THAI_WORDS:
                    end = i + length
                    # A word must not end in front of a mark belonging to the next letter.
                    if end < n and _is_attached(text[end]):
                        continue
                    found = length
                    break
        if found:
            cuts.add(i)
            cuts.add(i + found)
            i += found
        else:
            i += 1
    return cuts


def _break_allowed(text: str, p: int) -> bool:
    before, after = text[p - 1], text[p]
    if _is_attached(after) or before in _TH_LEADING:
        return False
    if after in _NO_LINE_START or before in _NO_LINE_END:
        return False
    return not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum())


def _break_quality(text: str, p: int, dictionary: set[int]) -> float:
    before, after = text[p - 1], text[p]
    if after in (" ", _ZWSP) or before in (" ", _ZWSP, "-", "/"):
        return 3.0
    if before in ",;" or after in "(":
        return 2.5
    if p in dictionary:
        return 2.0
    if after in _TH_LEADING or before in _TH_SYLLABLE_END:
        return 1.5
    return 1.0


# quality -> the least share of the line a break of that quality must fill
_FILL_NEEDED = {3.0: 0.3, 2.5: 0.4, 2.0: 0.45, 1.5: 0.6, 1.0: 0.0}


def _wrap(text: str, budget: float, size: float = _FS) -> list[str]:
    """Split ``text`` into lines no wider than ``budget`` (estimated).

    Breaks at spaces where that fills the line well enough, else at the edge of a known Thai
    word, else between Thai syllables, else between any two characters where a line may break
    (never in front of a combining mark or following vowel, never after a leading vowel,
    never inside a run of Latin letters or digits). A single character wider than the budget
    still gets a line of its own.
    """
    text = _clean(text)
    lines: list[str] = []
    budget = max(budget, size)
    while text:
        widths = [0.0]
        for ch in text:
            widths.append(widths[-1] + _char_width(ch, size))
        if widths[-1] <= budget:
            lines.append(text)
            break
        fit = max(p for p in range(len(widths)) if widths[p] <= budget)
        dictionary = _dictionary_boundaries(text[: fit + _THAI_WORD_MAX])
        best: tuple[float, int] | None = None
        fallback = 0
        for p in range(1, min(fit, len(text) - 1) + 1):
            if not _break_allowed(text, p):
                continue
            fallback = p
            quality = _break_quality(text, p, dictionary)
            if widths[p] < _FILL_NEEDED[quality] * budget:
                continue
            if best is None or (quality, p) > best:
                best = (quality, p)
        cut = best[1] if best else fallback
        if cut <= 0:
            # Nothing fits (a long Latin word, or a very narrow budget): cut hard, but keep a
            # letter with the marks that sit on it.
            cut = max(fit, 1)
            while cut < len(text) and _is_attached(text[cut]):
                cut += 1
        head, text = text[:cut].rstrip(" " + _ZWSP), text[cut:].lstrip(" " + _ZWSP)
        if head:
            lines.append(head)
    return lines or [""]


# --- reading the input ---------------------------------------------------------------------


def _items(value: object) -> list[object]:
    if value is None or isinstance(value, str | bytes | Mapping):
        return []
    if not isinstance(value, Iterable):
        return []
    try:
        return list(value)
    except Exception:
        return []


def _field(item: object, name: str) -> object:
    if isinstance(item, Mapping):
        try:
            return item.get(name)
        except Exception:
            return None
    return None


def _days(value: object) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(number) or not 0 <= number <= 99_999:
        return None
    return int(number)


# Units of the time models that count days (see processes.models.TimeModel): (th, en, en one).
_TIME_UNITS = {
    "working_days": ("วันทำการ", "working days", "working day"),
    "calendar_days": ("วัน", "days", "day"),
    "per_activity": ("วันต่อกิจกรรม", "days per activity", "day per activity"),
}


def _time_text(low: int | None, high: int | None, lang: str, model: object = None) -> str:
    if model == "until_case_date":
        return "until the case's date" if lang == "en" else "ถึงวันที่ของเรื่อง"
    if (low is None and high is None) or model == "none":
        return ""
    if low is None or high is None:
        low = high = low if high is None else high
    if low > high:
        low, high = high, low
    span = str(low) if low == high else f"{low}{_EN_DASH}{high}"
    thai, many, one = _TIME_UNITS.get(str(model), _TIME_UNITS["working_days"])
    if lang == "en":
        return f"{span} {one}" if high == 1 else f"{span} {many}"
    return f"{span} {thai}"


def _role_text(code: object, lang: str) -> str:
    code_text = _clean(code)
    labels = _ROLE_LABELS.get(code_text.lower())
    if labels is None:
        return code_text
    return labels[1] if lang == "en" else labels[0]


def _outcome_label(outcome: str, lang: str) -> str:
    labels = _OUTCOME_LABELS.get(outcome)
    if labels is None:
        return outcome
    return labels[1] if lang == "en" else labels[0]


def _css_token(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "other"


# --- the model of the drawing --------------------------------------------------------------


@dataclass
class _Node:
    index: int  # 0 = the start oval, 1.. = the steps in order
    key: str
    kind: str  # drawing kind: start / task / approval / notify / wait_until / end
    raw_kind: str
    name: str
    lines: list[str]
    meta: list[str]
    summary: str = ""  # the grey lines unwrapped, for the tooltip and the description
    w: float = 0.0
    h: float = 0.0
    text_w: float = 0.0  # widest label line
    cy: float = 0.0
    ports: dict[str, list[tuple[tuple, int, str]]] = field(
        default_factory=lambda: {"left": [], "right": []}
    )
    port_dy: dict[tuple[int, str], float] = field(default_factory=dict)

    @property
    def top(self) -> float:
        return self.cy - self.h / 2

    @property
    def bottom(self) -> float:
        return self.cy + self.h / 2

    def half_width_at(self, dy: float) -> float:
        """Horizontal distance from the centre line to the outline, ``dy`` below the centre."""
        hw, hh = self.w / 2, self.h / 2
        if self.kind == "approval":
            return hw * max(0.0, 1 - abs(dy) / hh)
        if self.kind in ("start", "end"):
            ratio = min(1.0, abs(dy) / hh)
            return hw * math.sqrt(max(0.0, 1 - ratio * ratio))
        return hw


@dataclass
class _Edge:
    src: int
    dst: int
    outcome: str
    label: str
    route: str  # start / next / back / skip / self
    side: str = ""
    lane: int = 0

    @property
    def span(self) -> tuple[int, int]:
        return min(self.src, self.dst), max(self.src, self.dst)


def _make_node(index: int, item: object, lang: str) -> _Node:
    key = _clean(_field(item, "key"))
    raw_kind = _clean(_field(item, "kind")).lower()
    kind = raw_kind if raw_kind in _KINDS else "task"
    name_th, name_en = _clean(_field(item, "name_th")), _clean(_field(item, "name_en"))
    name = (name_en or name_th) if lang == "en" else (name_th or name_en)
    if not isinstance(item, Mapping):
        name = _clean(item)
    if not name:
        name = _word("end", lang) if kind == "end" else key or f"{_word('step', lang)} {index}"
    meta: list[str] = []
    summary = ""
    if kind != "end":
        time_text = _time_text(
            _days(_field(item, "days_min")),
            _days(_field(item, "days_max")),
            lang,
            _field(item, "time_model"),
        )
        roles: list[str] = []
        approvers = _field(item, "approvers")
        if kind == "approval" and approvers:
            codes = [approvers] if isinstance(approvers, str) else _items(approvers)
            roles = [text for text in (_role_text(code, lang) for code in codes) if text]
        if not roles:
            responsible = _role_text(_field(item, "responsible"), lang)
            roles = [responsible] if responsible else []
        if time_text:
            meta.extend(_wrap(time_text, _META_W, _META_FS))
        # An approval chain breaks before an arrow, never after one.
        chain = ""
        for role in roles:
            joined = f"{chain} → {role}" if chain else role
            if chain and _text_width(joined, _META_FS) > _META_W:
                meta.extend(_wrap(chain, _META_W, _META_FS))
                joined = f"→ {role}"
            chain = joined
        if chain:
            meta.extend(_wrap(chain, _META_W, _META_FS))
        summary = ", ".join(text for text in (time_text, " → ".join(roles)) if text)
    return _Node(index, key, kind, raw_kind, name, [], meta, summary)


def _wrap_name(name: str, budget: float) -> list[str]:
    lines = _wrap(name[:_MAX_CHARS], budget)
    if len(lines) > _MAX_LINES or len(name) > _MAX_CHARS:
        lines = lines[:_MAX_LINES]
        last = lines[-1]
        cut = len(last) - 1  # drop the last letter with its marks to make room
        while cut > 0 and _is_attached(last[cut]):
            cut -= 1
        lines[-1] = last[:cut].rstrip() + "\u2026"
    return lines


def _size_node(node: _Node, ports: int) -> None:
    """Wrap the node's text and size its shape; ``ports`` = edge ends on its busier side."""
    port_span = max(0, ports - 1) * _PORT_SP
    if node.kind == "approval":
        best: tuple[list[str], float] | None = None
        for budget in (120, 140, 160, 180, 200, 230):
            lines = _wrap_name(node.name, budget)
            best = (lines, budget)
            if len(lines) <= 3:
                break
        assert best is not None
        node.lines = best[0]
        node.text_w = max(_text_width(line, _FS) for line in node.lines)
        text_h = len(node.lines) * _LH
        # The text block sits inside the diamond when text_w / w + text_h / h <= 1.
        node.w = max(150.0, 2 * node.text_w + 28)
        node.h = max(76.0, 2 * text_h + 14, port_span / 0.56 if ports > 1 else 0)
    elif node.kind in ("start", "end"):
        node.lines = _wrap_name(node.name, 170)
        node.text_w = max(_text_width(line, _FS) for line in node.lines)
        node.w = max(96.0, node.text_w + 48)
        node.h = max(34.0, len(node.lines) * _LH + 14, port_span / 0.55 if ports > 1 else 0)
    else:
        inner = _BOX_W - 2 * _BOX_PAD_X - (24 if node.kind == "wait_until" else 0)
        node.lines = _wrap_name(node.name, inner)
        node.text_w = max(_text_width(line, _FS) for line in node.lines)
        node.w = _BOX_W
        node.h = max(44.0, len(node.lines) * _LH + 20, port_span + 28)


def _assign_lanes(edges: list[_Edge]) -> int:
    """Give each edge the innermost lane not used by an edge whose span meets its own."""
    lanes: list[list[tuple[int, int]]] = []
    for edge in sorted(edges, key=lambda e: (e.span[1] - e.span[0], e.span)):
        low, high = edge.span
        for number, used in enumerate(lanes):
            if all(high < a or low > b for a, b in used):
                used.append(edge.span)
                edge.lane = number
                break
        else:
            lanes.append([edge.span])
            edge.lane = len(lanes) - 1
    return len(lanes)


# --- SVG output ----------------------------------------------------------------------------


def _attrs(**values: object) -> str:
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        text = _num(value) if isinstance(value, float) else str(value)
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{_esc(text)}"')
    return " ".join(parts)


def _el(tag: str, **values: object) -> str:
    return f"<{tag} {_attrs(**values)}/>"


def _text_lines(
    lines: list[str],
    x: float,
    first_baseline: float,
    *,
    size: float,
    line_h: float,
    anchor: str = "middle",
    fill: str = _TEXT,
    css: str = "fc-text",
    weight: str | None = None,
) -> str:
    spans = "".join(
        f"<tspan {_attrs(x=x, y=first_baseline + i * line_h)}>{_esc(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    head = _attrs(
        class_=css, font_size=_num(size), fill=fill, text_anchor=anchor, font_weight=weight
    )
    return f"<text {head}>{spans}</text>"


def _block_baseline(cy: float, count: int, line_h: float = _LH, size: float = _FS) -> float:
    """Baseline of the first of ``count`` lines centred on ``cy``."""
    return cy - count * line_h / 2 + line_h / 2 + size * 0.36


def _shape(node: _Node, cx: float) -> str:
    fill, stroke = _COLOURS.get(node.kind, _COLOURS["task"])
    x, y, w, h = cx - node.w / 2, node.top, node.w, node.h
    parts: list[str] = []
    common = {"fill": fill, "stroke": stroke, "stroke_width": "1.5"}
    if node.kind == "approval":
        points = " ".join(
            f"{_num(px)},{_num(py)}"
            for px, py in ((cx, y), (x + w, node.cy), (cx, y + h), (x, node.cy))
        )
        parts.append(f"<polygon {_attrs(class_='fc-shape', points=points, **common)}/>")
    elif node.kind in ("start", "end"):
        common["stroke_width"] = "2" if node.kind == "end" else "1.5"
        parts.append(
            _el("ellipse", class_="fc-shape", cx=cx, cy=node.cy, rx=w / 2, ry=h / 2, **common)
        )
    elif node.kind == "notify":
        parts.append(_el("rect", class_="fc-shape", x=x, y=y, width=w, height=h, rx="3", **common))
        parts.append(
            _el("line", x1=x + 6, y1=y, x2=x + 6, y2=y + h, stroke=stroke, stroke_width="1.5")
        )
    elif node.kind == "wait_until":
        box = {"x": x, "y": y, "width": w, "height": h, "rx": "10"}
        parts.append(_el("rect", class_="fc-shape", stroke_dasharray="6 4", **box, **common))
        kx, ky = x + w - 16, y + 16
        pen = {"stroke": stroke, "stroke_width": "1.5"}
        parts.append(_el("circle", cx=kx, cy=ky, r="7", fill="#ffffff", **pen))
        hands = f"M{_num(kx)} {_num(ky - 4.5)}V{_num(ky)}H{_num(kx + 3.5)}"
        parts.append(_el("path", d=hands, fill="none", stroke_linecap="round", **pen))
    else:
        parts.append(_el("rect", class_="fc-shape", x=x, y=y, width=w, height=h, rx="10", **common))
    text_x = cx - (6 if node.kind == "wait_until" else 0) + (3 if node.kind == "notify" else 0)
    parts.append(
        _text_lines(
            node.lines,
            text_x,
            _block_baseline(node.cy, len(node.lines)),
            size=_FS,
            line_h=_LH,
            weight="600" if node.kind in ("start", "end") else None,
        )
    )
    if node.meta:
        parts.append(
            _text_lines(
                node.meta,
                cx + 8,
                node.bottom + 15,
                size=_META_FS,
                line_h=_META_LH,
                anchor="start",
                fill=_META,
                css="fc-meta",
            )
        )
    return "".join(parts)


def _arrow_path(points: list[tuple[float, float]], colour: str) -> tuple[str, str]:
    """The line (stopping at the arrowhead's base) and the arrowhead, for ``points``."""
    (x1, y1), (x2, y2) = points[-2], points[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    base_x, base_y = x2 - ux * _ARROW_LEN, y2 - uy * _ARROW_LEN
    line_points = [*points[:-1], (base_x + ux, base_y + uy)]
    d = "M" + " L".join(f"{_num(px)} {_num(py)}" for px, py in line_points)
    head = " ".join(
        f"{_num(px)},{_num(py)}"
        for px, py in (
            (x2, y2),
            (base_x - uy * _ARROW_HALF, base_y + ux * _ARROW_HALF),
            (base_x + uy * _ARROW_HALF, base_y - ux * _ARROW_HALF),
        )
    )
    path = _el(
        "path", d=d, fill="none", stroke=colour, stroke_width="1.6", stroke_linejoin="round"
    ) + _el("polygon", class_="fc-arrowhead", points=head, fill=colour)
    return path, d


def _label(text: str, x: float, y: float, anchor: str, colour: str) -> str:
    if not text:
        return ""
    head = _attrs(
        class_="fc-label",
        x=x,
        y=y,
        font_size=_num(_LABEL_FS),
        font_weight="600",
        fill=colour,
        text_anchor=anchor,
    )
    return f"<text {head}>{_esc(text)}</text>"


def _svg_open(width: float, height: float, uid: str, extra_class: str = "") -> str:
    head = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {_num(width)} {_num(height)}",
        width="100%",
        style=f"max-width: {_num(width)}px; height: auto",
        role="img",
        aria_labelledby=f"{uid}-title {uid}-desc",
        class_=f"fc-chart {extra_class}".strip(),
        font_family=FONT_FAMILY,
        text_rendering="geometricPrecision",
    )
    return f"<svg {head}>"


def _uid(*parts: object) -> str:
    try:
        seed = repr(parts)
    except Exception:
        seed = ""
    return "fc-" + hashlib.sha1(seed.encode("utf-8", "replace")).hexdigest()[:10]


def _message_svg(message: str, title: str, lang: str, uid: str) -> str:
    width = max(220.0, _text_width(message, _FS) + 48)
    height = 64.0
    return (
        _svg_open(width, height, uid, "fc-empty")
        + f'<title id="{uid}-title">{_esc(title or _word("chart", lang))}</title>'
        + f'<desc id="{uid}-desc">{_esc(message)}</desc>'
        + _el(
            "rect",
            x=1.0,
            y=1.0,
            width=width - 2,
            height=height - 2,
            rx="10",
            fill="#f8fafc",
            stroke="#cbd5e1",
            stroke_dasharray="5 4",
        )
        + _text_lines(
            [message], width / 2, height / 2 + _FS * 0.36, size=_FS, line_h=_LH, fill=_META
        )
        + "</svg>"
    )


def _description(nodes: list[_Node], edges: list[_Edge], lang: str) -> str:
    numbered = []
    for node in nodes[1:]:
        detail = f" ({node.summary})" if node.summary else ""
        numbered.append(f"{node.index}. {node.name}{detail}")
    branches = []
    for edge in edges:
        if edge.route in ("back", "skip", "self") or edge.label:
            word = edge.label or ("next" if lang == "en" else "ต่อไป")
            branches.append(
                f"{_word('step', lang)} {edge.src} {word} → {_word('step', lang)} {edge.dst}"
            )
    if lang == "en":
        text = f"Flowchart of {len(nodes) - 1} steps: " + "; ".join(numbered)
        if branches:
            text += ". Branches: " + "; ".join(branches)
    else:
        text = f"ผังงาน {len(nodes) - 1} ขั้นตอน: " + "; ".join(numbered)
        if branches:
            text += " ทางแยก: " + "; ".join(branches)
    return text


# --- the public function -------------------------------------------------------------------


def render_flowchart_svg(
    steps: Sequence[Mapping],
    transitions: Sequence[Mapping],
    *,
    title: str = "",
    lang: str = "th",
) -> str:
    """Draw the process as a standalone, responsive SVG flowchart and return its markup.

    ``steps`` are in the manual's order (the first is where the process starts); each has
    ``key``, ``name_th``, ``name_en``, ``kind`` (task, approval, notify, wait_until, end) and
    optionally ``days_min``/``days_max`` (working days), ``responsible`` (a role code) and
    ``approvers`` (role codes, for an approval). ``transitions`` have ``from``, ``outcome``
    and ``to`` (step keys). ``lang`` is ``"th"`` or ``"en"``.

    Odd input never raises: unknown kinds draw as tasks, transitions naming unknown steps are
    left out, and no steps at all gives a small picture saying so.
    """
    lang = "en" if _clean(lang).lower().startswith("en") else "th"
    title_text = _clean(title)
    try:
        return _render(steps, transitions, title_text, lang)
    except Exception:  # the picture is an extra: a bad definition must not break the page
        logger.exception("Could not draw a flowchart")
        return _message_svg(_word("error", lang), title_text, lang, _uid(title_text, "error"))


def _render(steps: object, transitions: object, title: str, lang: str) -> str:
    step_items = _items(steps)
    transition_items = _items(transitions)
    uid = _uid(step_items, transition_items, title, lang)
    if not step_items:
        return _message_svg(_word("empty", lang), title, lang, uid)

    # Nodes: the start oval, then the steps in order.
    start = _Node(0, "", "start", "start", _word("start", lang), [], [])
    nodes = [start]
    index_of: dict[str, int] = {}
    for number, item in enumerate(step_items, start=1):
        node = _make_node(number, item, lang)
        nodes.append(node)
        if node.key and node.key not in index_of:
            index_of[node.key] = number

    # Edges, each with its route.
    edges = [_Edge(0, 1, "done", "", "start")]
    straight: set[int] = set()
    for item in transition_items:
        src = index_of.get(_clean(_field(item, "from")))
        dst = index_of.get(_clean(_field(item, "to")))
        if src is None or dst is None:
            continue
        outcome = _clean(_field(item, "outcome")).lower() or "done"
        label = _clean(_field(item, "label")) or _outcome_label(outcome, lang)
        if src == dst:
            edges.append(_Edge(src, dst, outcome, label, "self", "right"))
        elif dst == src + 1 and src not in straight:
            straight.add(src)
            edges.append(_Edge(src, dst, outcome, label, "next"))
        elif dst > src:
            edges.append(_Edge(src, dst, outcome, label, "skip", "right"))
        else:
            edges.append(_Edge(src, dst, outcome, label, "back", "left"))
    left_lanes = _assign_lanes([e for e in edges if e.route == "back"])
    right_lanes = _assign_lanes([e for e in edges if e.route == "skip"])

    # Where each side edge meets its boxes. On one side of a box, the ends whose lines go up
    # come first (innermost lane on top), then self-loops, then the ends whose lines go down
    # (outermost lane on top): that way no line crosses another next to the box.
    for number, edge in enumerate(edges):
        if edge.route == "self":
            ports = nodes[edge.src].ports["right"]
            ports.append(((1, number, 0), number, "out"))
            ports.append(((1, number, 1), number, "in"))
        elif edge.side:
            for end, other in (("out", edge.dst), ("in", edge.src)):
                here = edge.src if end == "out" else edge.dst
                goes_up = other < here
                order = (0, edge.lane) if goes_up else (2, -edge.lane)
                nodes[here].ports[edge.side].append((order, number, end))
    for node in nodes:
        busiest = max(len(node.ports["left"]), len(node.ports["right"]))
        _size_node(node, busiest)
        for side in ("left", "right"):
            ports = sorted(node.ports[side], key=lambda port: port[0])
            node.ports[side] = ports
            for k, (_, number, end) in enumerate(ports):
                node.port_dy[(number, end)] = (k - (len(ports) - 1) / 2) * _PORT_SP

    # Room needed beside the column, left and right of the centre line.
    left_need = right_need = 0.0
    for number, edge in enumerate(edges):
        node = nodes[edge.src]
        width = _text_width(edge.label, _LABEL_FS, bold=True) if edge.label else 0.0
        if edge.route == "next" and width:
            left_need = max(left_need, 7 + width + 6)
        elif edge.route == "back" and width:
            dy = node.port_dy[(number, "out")]
            left_need = max(left_need, node.half_width_at(dy) + 6 + width + 4)
        elif edge.route == "skip" and width:
            dy = node.port_dy[(number, "out")]
            right_need = max(right_need, node.half_width_at(dy) + 6 + width + 4)
        elif edge.route == "self":
            right_need = max(right_need, node.w / 2 + _LOOP_OUT + 5 + width + 4)
    for node in nodes:
        left_need = max(left_need, node.w / 2)
        right_need = max(right_need, node.w / 2)
        if node.meta:
            meta_w = max(_text_width(line, _META_FS) for line in node.meta)
            right_need = max(right_need, 8 + meta_w + 4)
    left_room = left_need + (_LANE_GAP + (left_lanes - 1) * _LANE_SP if left_lanes else 0)
    right_room = right_need + (_LANE_GAP + (right_lanes - 1) * _LANE_SP if right_lanes else 0)
    cx = _MARGIN + left_room
    width = cx + right_room + _MARGIN

    def lane_x(edge: _Edge) -> float:
        if edge.side == "left":
            return cx - left_need - _LANE_GAP - edge.lane * _LANE_SP
        return cx + right_need + _LANE_GAP + edge.lane * _LANE_SP

    # Vertical positions: the column, top to bottom.
    y = _MARGIN
    for node in nodes:
        node.cy = y + node.h / 2
        below = len(node.meta) * _META_LH
        y = node.bottom + (28.0 if node.kind == "start" else max(36.0, 10 + below + 16))
    last = nodes[-1]
    height = last.bottom + max(_MARGIN, 8 + len(last.meta) * _META_LH + 4)

    # Drawing.
    body: list[str] = []
    for number, edge in enumerate(edges):
        colour = _EDGE_COLOURS.get(edge.outcome, _EDGE_NEUTRAL)
        src, dst = nodes[edge.src], nodes[edge.dst]
        label = ""
        if edge.route in ("start", "next"):
            points = [(cx, src.bottom), (cx, dst.top)]
            label = _label(edge.label, cx - 7, src.bottom + 15, "end", colour)
        elif edge.route == "self":
            dy_out, dy_in = src.port_dy[(number, "out")], src.port_dy[(number, "in")]
            loop_x = cx + src.w / 2 + _LOOP_OUT
            points = [
                (cx + src.half_width_at(dy_out), src.cy + dy_out),
                (loop_x, src.cy + dy_out),
                (loop_x, src.cy + dy_in),
                (cx + src.half_width_at(dy_in), src.cy + dy_in),
            ]
            mid = src.cy + (dy_out + dy_in) / 2 + _LABEL_FS * 0.36
            label = _label(edge.label, loop_x + 5, mid, "start", colour)
        else:
            sign = -1 if edge.side == "left" else 1
            dy_out, dy_in = src.port_dy[(number, "out")], dst.port_dy[(number, "in")]
            x_out = cx + sign * src.half_width_at(dy_out)
            x_in = cx + sign * dst.half_width_at(dy_in)
            lx = lane_x(edge)
            points = [
                (x_out, src.cy + dy_out),
                (lx, src.cy + dy_out),
                (lx, dst.cy + dy_in),
                (x_in, dst.cy + dy_in),
            ]
            label_y = src.cy + dy_out + (-5 if dy_out <= 0 else _LABEL_FS + 2)
            label = _label(
                edge.label,
                x_out + sign * 6,
                label_y,
                "end" if sign < 0 else "start",
                colour,
            )
        path, _ = _arrow_path(points, colour)
        head = _attrs(
            class_=f"fc-edge fc-edge-{edge.route} fc-outcome-{_css_token(edge.outcome)}",
            data_from=src.key or None,
            data_to=dst.key or None,
            data_outcome=edge.outcome,
            data_route=edge.route,
            data_lane=str(edge.lane) if edge.side and edge.route != "self" else None,
        )
        body.append(f"<g {head}>{path}{label}</g>")

    shapes: list[str] = []
    for node in nodes:
        if node.kind == "start":
            head = _attrs(class_="fc-start")
        else:
            head = _attrs(
                class_=f"fc-step fc-{node.kind.replace('_', '-')}",
                data_key=node.key or None,
                data_kind=node.raw_kind or None,
            )
        tooltip = node.name + (f" — {node.summary}" if node.summary else "")
        shapes.append(f"<g {head}><title>{_esc(tooltip)}</title>{_shape(node, cx)}</g>")

    return (
        _svg_open(width, height, uid)
        + f'<title id="{uid}-title">{_esc(title or _word("chart", lang))}</title>'
        + f'<desc id="{uid}-desc">{_esc(_description(nodes, edges, lang))}</desc>'
        + '<g class="fc-edges">'
        + "".join(body)
        + '</g><g class="fc-steps">'
        + "".join(shapes)
        + "</g></svg>"
    )
