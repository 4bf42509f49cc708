"""Helpers for the designer's tests: the POST data of a step form, as a browser sends it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import RoleCode
from tests.factories import make_user


def step_post(
    *,
    name_th: str,
    kind: str = "task",
    responsible: str = "staff",
    next_step: str = "",
    approve_to: str = "",
    return_to: str = "",
    reject_to: str = "",
    branches: list[dict[str, str]] = (),
    approvers: list[str] = (),
    fields: list[dict[str, Any]] = (),
    time_model: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    if time_model is None:
        time_model = "working_days" if "days_max" in extra or "days_min" in extra else "none"
    data: dict[str, Any] = {
        "time_model": time_model,
        "name_th": name_th,
        "kind": kind,
        "responsible": responsible,
        "next_step": next_step,
        "approve_to": approve_to,
        "return_to": return_to,
        "reject_to": reject_to,
        "branch-TOTAL_FORMS": len(branches),
        "branch-INITIAL_FORMS": 0,
        "approver-TOTAL_FORMS": len(approvers),
        "approver-INITIAL_FORMS": 0,
        "field-TOTAL_FORMS": len(fields),
        "field-INITIAL_FORMS": 0,
        **extra,
    }
    for index, branch in enumerate(branches):
        for key, value in branch.items():
            data[f"branch-{index}-{key}"] = value
    for index, role in enumerate(approvers):
        data[f"approver-{index}-role"] = role
        data[f"approver-{index}-ORDER"] = index + 1
    for index, field in enumerate(fields):
        data[f"field-{index}-ORDER"] = index + 1
        data[f"field-{index}-type"] = "text"
        for key, value in field.items():
            data[f"field-{index}-{key}"] = value
    return data


@pytest.fixture
def designer_users(office, school, people):
    """Every role the portal knows, plus the admin, keyed by role code."""
    return {
        **{role: user for role, user in people.items() if role != "staff2"},
        "admin": make_user(RoleCode.ADMIN, office=office, username="admin-designer"),
    }


@pytest.fixture
def head_client(people) -> Client:
    client = Client()
    client.force_login(people["group_head"])
    return client
