"""คำสั่ง (appointment orders) of working groups, run through the engine like any approval.

The many processes of the catalogue whose first step appoints a working group record its
members there (a table: name, position, role in the group). From the case page, staff put the
order up for signature: that starts a case of the small process `appointment-order` (one
approval by the district director) carrying the members and duties. When the director
approves, the order takes the next number of the order register (per Buddhist year), is frozen,
signed and verifiable exactly like a memo.
"""

from __future__ import annotations

import datetime
from typing import Any

from processes.definitions import definition_import
from processes.models import Case, ProcessDefinition

ORDER_PROCESS = "appointment-order"
ORDER_DEFINITION = {
    "code": ORDER_PROCESS,
    "title_th": "เสนอลงนามคำสั่งแต่งตั้งคณะทำงาน",
    "title_en": "Appointment order for signature",
    "area": "service",
    "reference_prefix": "ORD",
    "steps": [
        {
            "key": "sign",
            "name_th": "เสนอ ผอ.สพท. ลงนามคำสั่งแต่งตั้ง",
            "name_en": "Director signs the appointment order",
            "kind": "approval",
            "approvers": ["director"],
            "days_min": 1,
            "days_max": 3,
        },
        {"key": "end", "name_th": "สิ้นสุด", "kind": "end"},
    ],
    "transitions": [
        {"from": "sign", "outcome": "approve", "to": "end"},
        {"from": "sign", "outcome": "return", "to": "end"},
        {"from": "sign", "outcome": "reject", "to": "end"},
    ],
}
LEGAL_BASIS = (
    "อาศัยอำนาจตามความในมาตรา ๓๗ แห่งพระราชบัญญัติระเบียบบริหารราชการกระทรวงศึกษาธิการ "
    "พ.ศ. ๒๕๔๖ และที่แก้ไขเพิ่มเติม"
)
DEFAULT_DUTIES = (
    "ศึกษา วิเคราะห์ข้อมูลที่เกี่ยวข้อง ดำเนินการตามขั้นตอนของกระบวนงานให้แล้วเสร็จตามกำหนด "
    "และรายงานผลการดำเนินงานต่อผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"
)


def order_definition() -> ProcessDefinition:
    """The appointment-order process, created on first use (kept out of the manuals' catalogue)."""
    found = ProcessDefinition.objects.filter(code=ORDER_PROCESS).first()
    if found is not None and found.versions.filter(status="published").exists():
        return found
    return definition_import(ORDER_DEFINITION).definition


def members_of(case: Case) -> tuple[str, list[dict[str, str]]]:
    """The step that appointed a working group and its members, from the case's data."""
    for key, values in (case.data or {}).items():
        if isinstance(values, dict) and isinstance(values.get("members"), list):
            rows = [
                {
                    "name": str(row.get("name", "")).strip(),
                    "position": str(row.get("position", "")).strip(),
                    "role": str(row.get("duty") or row.get("role") or "").strip(),
                }
                for row in values["members"]
                if isinstance(row, dict) and str(row.get("name", "")).strip()
            ]
            if rows:
                return key, rows
    return "", []


# Roles in a working group, in the order an order lists them (the prepare form offers these).
ROLES = [
    "ที่ปรึกษา",
    "ประธาน",
    "รองประธาน",
    "กรรมการ",
    "กรรมการและเลขานุการ",
    "กรรมการและผู้ช่วยเลขานุการ",
]


def normal_role(text: str) -> str:
    """The standard role closest to what a step's table says ("ประธานคณะทำงาน" -> ประธาน,
    "เลขานุการ" -> กรรมการและเลขานุการ); anything else is a plain member (กรรมการ)."""
    text = (text or "").replace(" ", "")
    if text in ROLES:
        return text
    for word, role in (
        ("ที่ปรึกษา", "ที่ปรึกษา"),
        ("รองประธาน", "รองประธาน"),
        ("ประธาน", "ประธาน"),
        ("ผู้ช่วยเลขานุการ", "กรรมการและผู้ช่วยเลขานุการ"),
        ("เลขานุการ", "กรรมการและเลขานุการ"),
    ):
        if word in text:
            return role
    return "กรรมการ"


def last_order_case(case: Case) -> Case | None:
    """The latest order prepared for `case` (returned or refused ones included)."""
    return (
        Case.objects.filter(
            version__definition__code=ORDER_PROCESS, data__order__for_case=case.reference
        )
        .order_by("-pk")
        .first()
    )


def order_initial(case: Case) -> dict[str, Any]:
    """What the prepare form starts from: the last order prepared for the case (sent back by the
    director, say), else the members of the appoint step and the standard texts."""
    previous = last_order_case(case)
    data = (previous.data or {}).get("order") if previous is not None else None
    if isinstance(data, dict) and data.get("members"):
        effective = data.get("effective_date") or None
        return {
            "subject": data.get("subject", ""),
            "purpose": data.get("purpose", ""),
            "legal_basis": data.get("legal_basis") or LEGAL_BASIS,
            "duties": data.get("duties") or DEFAULT_DUTIES,
            "effective_date": datetime.date.fromisoformat(effective) if effective else None,
            "members": [dict(member) for member in data["members"]],
        }
    _key, members = members_of(case)
    return {
        "subject": f"แต่งตั้งคณะทำงาน{case.version.definition.title_th}",
        "purpose": case.title,
        "legal_basis": LEGAL_BASIS,
        "duties": DEFAULT_DUTIES,
        "effective_date": None,
        "members": [{**member, "role": normal_role(member["role"])} for member in members],
    }


def order_data(
    case: Case,
    *,
    subject: str,
    purpose: str,
    legal_basis: str,
    duties: str,
    effective_date: datetime.date | None,
    members: list[dict[str, str]],
) -> dict[str, Any]:
    """The order as staff prepared it; the order case carries it and the PDF prints it."""
    return {
        "for_case": case.reference,
        "subject": subject.strip(),
        "purpose": purpose.strip(),
        "legal_basis": legal_basis.strip(),
        "duties": duties.strip(),
        "effective_date": effective_date.isoformat() if effective_date else "",
        "members": [
            {key: member[key].strip() for key in ("name", "position", "role")} for member in members
        ],
    }
