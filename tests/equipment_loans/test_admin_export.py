"""The admin's loan export is the portal's spreadsheet: title row, frozen header, date cells
in the Buddhist era (see tests/core/test_admin_exports.py for the other admins)."""

from __future__ import annotations

import pytest

from core.spreadsheets import DATE_FORMAT, DATETIME_FORMAT
from equipment_loans.models import Loan
from tests.core.test_admin_exports import admin_export, assert_portal_layout

pytestmark = pytest.mark.django_db


def test_the_admin_loan_export_has_date_cells(client, admin_user, request_loan, projector):
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_superuser"])
    loan = request_loan(projector)
    client.force_login(admin_user)
    row = assert_portal_layout(admin_export(client, Loan), "การยืม")
    starts, requested = row["วันที่รับ"], row["วันที่ขอ"]
    assert starts.is_date and starts.value.date() == loan.starts_on
    assert starts.number_format == DATE_FORMAT
    assert requested.is_date and requested.number_format == DATETIME_FORMAT
    assert row["เลขที่คำขอ"].value == loan.reference
