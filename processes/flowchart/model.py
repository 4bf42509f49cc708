"""The flowchart's model: steps and transitions read from plain data into nodes and edges.

Input is forgiving: lists of mappings from a stored definition or an imported JSON file, in
which anything may be missing or of the wrong type. Nothing here raises on odd input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core.thaitext import text_width

from .text import META_FS, META_W, clean, wrap

KINDS = frozenset({"task", "approval", "notify", "wait_until", "end"})
_EN_DASH = "\u2013"

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


def word(name: str, lang: str) -> str:
    th, en = _WORDS[name]
    return en if lang == "en" else th


# --- reading the input ---------------------------------------------------------------------


def items(value: object) -> list[object]:
    if value is None or isinstance(value, str | bytes | Mapping):
        return []
    if not isinstance(value, Iterable):
        return []
    try:
        return list(value)
    except Exception:
        return []


def field_of(item: object, name: str) -> object:
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
    known = [days for days in (low, high) if days is not None]
    if not known or model == "none":
        return ""
    low, high = min(known), max(known)  # one missing end stands for both; ends in any order
    span = str(low) if low == high else f"{low}{_EN_DASH}{high}"
    thai, many, one = _TIME_UNITS.get(str(model), _TIME_UNITS["working_days"])
    if lang == "en":
        return f"{span} {one}" if high == 1 else f"{span} {many}"
    return f"{span} {thai}"


def _role_text(code: object, lang: str) -> str:
    code_text = clean(code)
    labels = _ROLE_LABELS.get(code_text.lower())
    if labels is None:
        return code_text
    return labels[1] if lang == "en" else labels[0]


def _outcome_label(outcome: str, lang: str) -> str:
    labels = _OUTCOME_LABELS.get(outcome)
    if labels is None:
        return outcome
    return labels[1] if lang == "en" else labels[0]


def css_token(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "other"


# --- nodes and edges -----------------------------------------------------------------------

# One edge end on a side of a box: (sort order, edge number, "out" or "in").
Port = tuple[tuple[int, ...], int, str]


@dataclass
class Node:
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
    ports: dict[str, list[Port]] = field(default_factory=lambda: {"left": [], "right": []})
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
class Edge:
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


def _node_name(item: object, key: str, kind: str, index: int, lang: str) -> str:
    if not isinstance(item, Mapping):
        name = clean(item)
    else:
        name_th, name_en = clean(field_of(item, "name_th")), clean(field_of(item, "name_en"))
        name = (name_en or name_th) if lang == "en" else (name_th or name_en)
    if name:
        return name
    return word("end", lang) if kind == "end" else key or f"{word('step', lang)} {index}"


def _roles(item: object, kind: str, lang: str) -> list[str]:
    """Who acts: an approval's chain of approvers, else the responsible role (if any)."""
    approvers = field_of(item, "approvers")
    if kind == "approval" and approvers:
        codes = [approvers] if isinstance(approvers, str) else items(approvers)
        roles = [text for text in (_role_text(code, lang) for code in codes) if text]
        if roles:
            return roles
    responsible = _role_text(field_of(item, "responsible"), lang)
    return [responsible] if responsible else []


def _chain_lines(roles: list[str]) -> list[str]:
    """The grey lines of an approval chain: it breaks before an arrow, never after one."""
    lines: list[str] = []
    chain = ""
    for role in roles:
        joined = f"{chain} → {role}" if chain else role
        if chain and text_width(joined, META_FS) > META_W:
            lines.extend(wrap(chain, META_W, META_FS))
            joined = f"→ {role}"
        chain = joined
    if chain:
        lines.extend(wrap(chain, META_W, META_FS))
    return lines


def make_node(index: int, item: object, lang: str) -> Node:
    key = clean(field_of(item, "key"))
    raw_kind = clean(field_of(item, "kind")).lower()
    kind = raw_kind if raw_kind in KINDS else "task"
    name = _node_name(item, key, kind, index, lang)
    if kind == "end":
        return Node(index, key, kind, raw_kind, name, [], [])
    low, high = _days(field_of(item, "days_min")), _days(field_of(item, "days_max"))
    time_text = _time_text(low, high, lang, field_of(item, "time_model"))
    roles = _roles(item, kind, lang)
    meta = wrap(time_text, META_W, META_FS) if time_text else []
    meta.extend(_chain_lines(roles))
    summary = ", ".join(text for text in (time_text, " → ".join(roles)) if text)
    return Node(index, key, kind, raw_kind, name, [], meta, summary)


def build_nodes(step_items: list[object], lang: str) -> tuple[list[Node], dict[str, int]]:
    """The start oval, then the steps in order; and each step key's node index (first wins)."""
    nodes = [Node(0, "", "start", "start", word("start", lang), [], [])]
    index_of: dict[str, int] = {}
    for number, item in enumerate(step_items, start=1):
        node = make_node(number, item, lang)
        nodes.append(node)
        if node.key and node.key not in index_of:
            index_of[node.key] = number
    return nodes, index_of


def _classify(src: int, dst: int, straight: set[int]) -> tuple[str, str]:
    """An edge's route and the side of the column it runs on."""
    if src == dst:
        return "self", "right"
    if dst == src + 1 and src not in straight:
        straight.add(src)
        return "next", ""
    if dst > src:
        return "skip", "right"
    return "back", "left"


def build_edges(transition_items: list[object], index_of: dict[str, int], lang: str) -> list[Edge]:
    """The arrow from the start oval, then one edge per transition between known steps."""
    edges = [Edge(0, 1, "done", "", "start")]
    straight: set[int] = set()
    for item in transition_items:
        src = index_of.get(clean(field_of(item, "from")))
        dst = index_of.get(clean(field_of(item, "to")))
        if src is None or dst is None:
            continue
        outcome = clean(field_of(item, "outcome")).lower() or "done"
        label = clean(field_of(item, "label")) or _outcome_label(outcome, lang)
        route, side = _classify(src, dst, straight)
        edges.append(Edge(src, dst, outcome, label, route, side))
    return edges
