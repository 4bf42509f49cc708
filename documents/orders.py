"""คำสั่ง (appointment orders) of working groups, run through the engine like any approval.

The many processes of the catalogue whose first step appoints a working group record its
members there (a table: name, position, role in the group). From the case page, staff put the
order up for signature: that starts a case of the small process `appointment-order` (one
approval by the district director) carrying the members and duties. When the director
approves, the order takes the next number of the order register (per Buddhist year), is frozen,
signed and verifiable exactly like a memo.
"""

from __future__ import annotations

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


def order_data(case: Case) -> dict[str, Any]:
    _key, members = members_of(case)
    return {
        "for_case": case.reference,
        "subject": f"แต่งตั้งคณะทำงาน{case.version.definition.title_th}",
        "purpose": case.title,
        "members": members,
        "duties": DEFAULT_DUTIES,
    }
