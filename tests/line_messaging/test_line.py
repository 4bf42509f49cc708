"""The LINE channel: linking by one-time code, unlinking, the webhook's signature check, and
delivery of outbox rows to a local fake of the LINE API (no internet)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.thaitime import add_working_days
from line_messaging import services
from line_messaging.channel import retry_key
from line_messaging.models import LineLink, LinkCode
from processes.models import Notification, Task
from processes.services import (
    case_start,
    due_date_pass,
    notifications_deliver,
    notify,
    task_complete,
)
from tests.line_fake import sign

LINE_ID = "U" + "a" * 32
OTHER_LINE_ID = "U" + "b" * 32


def _event(kind: str = "message", *, user_id: str = LINE_ID, text: str = "", source="user"):
    event = {
        "type": kind,
        "timestamp": 1764800000000,
        "mode": "active",
        "webhookEventId": "01JDEMO0000000000000000000",
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": source, "userId": user_id}
        if source == "user"
        else {"type": "group", "groupId": "C" + "c" * 32, "userId": user_id},
    }
    if kind == "message":
        event["replyToken"] = "reply-token-1"
        event["message"] = {"type": "text", "id": "1", "text": text, "quoteToken": "q"}
    return event


def _post_webhook(client, events, *, signature: str | None = None):
    body = json.dumps({"destination": "U" + "0" * 32, "events": events}).encode()
    return client.post(
        reverse("line_messaging:webhook"),
        data=body,
        content_type="application/json",
        headers={"X-Line-Signature": signature if signature is not None else sign(body)},
    )


def _link(user, *, delivery=LineLink.Delivery.BOTH, line_user_id=LINE_ID):
    return LineLink.objects.create(user=user, line_user_id=line_user_id, delivery=delivery)


def _notice(user, key="n1"):
    notify(recipients=[user], kind="test", subject="เรื่องทดสอบ", body="รายละเอียด", dedupe=key)
    return Notification.objects.get(recipient=user, dedupe_key__startswith=key)


# --- linking and unlinking ---------------------------------------------------------------


def test_staff_links_line_with_a_one_time_code(client, people, fake_line):
    staff = people["staff"]
    client.force_login(staff)
    assert client.post(reverse("line_messaging:code")).status_code == 302
    page = client.get(reverse("line_messaging:settings"))
    code = LinkCode.objects.get(user=staff, used_at__isnull=True).code
    assert f'data-line-code="{code}"' in page.content.decode()

    # The person types the code into LINE, lower case and with a space: still their code.
    typed = f"{code[:4].lower()} {code[4:]}"
    assert _post_webhook(client, [_event(text=typed)]).status_code == 200
    link = LineLink.objects.get(user=staff)
    assert link.line_user_id == LINE_ID
    replies = [c for c in fake_line.calls if c.path == "/v2/bot/message/reply"]
    assert len(replies) == 1 and staff.display_name in replies[0].body["messages"][0]["text"]

    # The code works once: a second LINE account sending it links nothing.
    _post_webhook(client, [_event(user_id=OTHER_LINE_ID, text=code)])
    assert LineLink.objects.get(user=staff).line_user_id == LINE_ID
    assert not LineLink.objects.filter(line_user_id=OTHER_LINE_ID).exists()
    assert (
        'data-line-state="linked"'
        in client.get(reverse("line_messaging:settings")).content.decode()
    )


def test_an_expired_or_replaced_code_links_nothing(client, people, fake_line):
    staff = people["staff"]
    old = services.link_code_issue(user=staff)
    new = services.link_code_issue(user=staff)  # asking again voids the first code
    assert services.link_by_code(line_user_id=LINE_ID, text=old.code) is None
    LinkCode.objects.filter(pk=new.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    _post_webhook(client, [_event(text=new.code)])
    assert not LineLink.objects.exists()


def test_unlink_from_the_settings_page_and_email_carries_on(client, people, fake_line):
    staff = people["staff"]
    _link(staff, delivery=LineLink.Delivery.LINE_ONLY)
    client.force_login(staff)
    response = client.post(reverse("line_messaging:unlink"))
    assert response.status_code == 302
    assert not LineLink.objects.filter(user=staff).exists()
    _notice(staff)
    assert notifications_deliver() == 1
    assert fake_line.pushes() == []
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_blocking_the_official_account_unlinks(client, people, fake_line):
    _link(people["staff"])
    assert _post_webhook(client, [_event("unfollow")]).status_code == 200
    assert not LineLink.objects.exists()


def test_bad_or_missing_signature_is_refused_and_nothing_is_read(client, people, fake_line):
    code = services.link_code_issue(user=people["staff"]).code
    assert (
        _post_webhook(client, [_event(text=code)], signature="bm90LXRoZS1zaWc=").status_code == 400
    )
    assert _post_webhook(client, [_event(text=code)], signature="").status_code == 400
    assert not LineLink.objects.exists()
    assert fake_line.calls == []


def test_other_events_are_acknowledged_and_ignored(client, people, fake_line):
    code = services.link_code_issue(user=people["staff"]).code
    events = [
        _event("follow"),
        _event(text="สวัสดีครับ"),
        _event(text=code, source="group"),  # a code posted in a group links nobody
        {"type": "something-new", "timestamp": 1, "mode": "active"},
    ]
    assert _post_webhook(client, events).status_code == 200
    assert not LineLink.objects.exists()
    assert fake_line.calls == []


def test_webhook_is_off_while_the_office_has_no_channel(client, settings):
    settings.LINE_CHANNEL_SECRET = ""
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    body = b'{"events": []}'
    response = client.post(
        reverse("line_messaging:webhook"),
        data=body,
        content_type="application/json",
        headers={"X-Line-Signature": sign(body)},
    )
    assert response.status_code == 404


# --- delivery through the outbox ---------------------------------------------------------


def test_user_with_both_channels_gets_one_mail_and_one_line_message(people, fake_line):
    staff = people["staff"]
    _link(staff)
    row = _notice(staff)
    assert notifications_deliver() == 1
    assert notifications_deliver() == 0  # nothing twice
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT and row.channels_done == ["email", "line"]
    assert len(mail.outbox) == 1
    (push,) = fake_line.pushes(to=LINE_ID)
    assert push["messages"][0]["type"] == "text"
    assert push["messages"][0]["text"].startswith("เรื่องทดสอบ\nรายละเอียด")
    assert fake_line.calls[0].headers["x-line-retry-key"] == retry_key(row)


def test_line_only_means_no_email(people, fake_line):
    _link(people["staff"], delivery=LineLink.Delivery.LINE_ONLY)
    _notice(people["staff"])
    assert notifications_deliver() == 1
    assert mail.outbox == []
    assert len(fake_line.pushes()) == 1


@pytest.mark.parametrize("status", [500, 429, 401])
def test_line_refusing_leaves_the_row_for_a_retry_without_repeating_the_email(
    people, fake_line, status
):
    staff = people["staff"]
    _link(staff)
    row = _notice(staff)
    fake_line.refuse = [status]
    assert notifications_deliver() == 0
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING
    assert row.channels_done == ["email"] and f"line: ({status})" in row.last_error
    assert len(mail.outbox) == 1 and fake_line.pushes() == []
    assert row.next_attempt_at > timezone.now()
    assert notifications_deliver() == 0  # not before its back-off has passed

    assert notifications_deliver(now=row.next_attempt_at) == 1  # the retry: LINE answers
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT and row.attempts == 2
    assert len(mail.outbox) == 1  # the e-mail went once
    assert len(fake_line.pushes(to=LINE_ID)) == 1


def test_a_retry_of_a_push_line_already_accepted_is_not_sent_twice(people, fake_line):
    """Our side timed out after LINE took the push: the retry key makes LINE answer 409."""
    _link(people["staff"], delivery=LineLink.Delivery.LINE_ONLY)
    row = _notice(people["staff"])
    fake_line.accepted_retry_keys.add(retry_key(row))
    assert notifications_deliver() == 1
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    assert [c.body["_status"] for c in fake_line.calls] == [409]


def test_line_refusing_for_the_whole_retry_window_ends_failed_not_lost(people, fake_line, settings):
    _link(people["staff"], delivery=LineLink.Delivery.LINE_ONLY)
    row = _notice(people["staff"])
    fake_line.refuse = [503, 503, 503]
    assert notifications_deliver() == 0
    row.refresh_from_db()
    assert notifications_deliver(now=row.next_attempt_at) == 0
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING  # still retried within the window
    window_end = row.created_at + datetime.timedelta(hours=settings.NOTIFICATION_RETRY_HOURS)
    assert notifications_deliver(now=window_end) == 0
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED and row.attempts == 3
    assert "line: (503)" in row.last_error  # kept for the admin's failed list and retry
    assert mail.outbox == [] and fake_line.pushes() == []


def test_the_daily_digest_goes_to_line_too(people, plan_definition, fake_line):
    """A linked person gets the day's digest on LINE (and by e-mail when they chose both); a
    LINE-only person gets it on LINE alone; someone without a link gets it by e-mail only."""
    _link(people["staff"])
    _link(people["staff2"], delivery=LineLink.Delivery.LINE_ONLY, line_user_id=OTHER_LINE_ID)
    for requester in ("staff", "staff2"):
        case_start(definition=plan_definition, requester=people[requester], title="แผนค้าง")
    Notification.objects.all().delete()
    due = Task.objects.filter(status=Task.Status.OPEN).first().due_on
    due_date_pass(today=add_working_days(due, 1))
    digests = Notification.objects.filter(kind="daily_digest")
    assert set(digests.values_list("recipient", flat=True)) >= {
        people["staff"].pk,
        people["staff2"].pk,
    }
    notifications_deliver()
    staff_digest = digests.get(recipient=people["staff"])
    (staff_line,) = fake_line.texts(to=LINE_ID)
    assert staff_line.startswith(staff_digest.subject)
    (staff2_line,) = fake_line.texts(to=OTHER_LINE_ID)
    assert staff2_line.startswith(digests.get(recipient=people["staff2"]).subject)
    mailed = [address for message in mail.outbox for address in message.to]
    assert people["staff"].email in mailed and people["staff2"].email not in mailed
    assert len(fake_line.pushes()) == 2  # nobody without a link was pushed to
    assert set(digests.values_list("status", flat=True)) == {Notification.Status.SENT}


def test_approval_comes_with_a_button_that_opens_the_task(people, plan_definition, fake_line):
    head = people["group_head"]
    _link(head, delivery=LineLink.Delivery.LINE_ONLY)
    case = case_start(definition=plan_definition, requester=people["staff"], title="แผนทดสอบ")
    draft = Task.objects.get(case=case, status=Task.Status.OPEN)
    task_complete(task=draft, user=people["staff"], outcome="done", data={"summary": "ร่าง"})
    approval = Task.objects.get(case=case, status=Task.Status.OPEN)
    notifications_deliver()
    (push,) = fake_line.pushes(to=LINE_ID)
    message = push["messages"][0]
    assert message["type"] == "template" and message["template"]["type"] == "buttons"
    (action,) = message["template"]["actions"]
    assert action["type"] == "uri"
    assert action["uri"].endswith(f"{case.get_absolute_url()}#task-{approval.pk}")
    assert action["uri"].startswith("http")


def test_channel_is_off_without_settings(people, settings):
    settings.LINE_CHANNEL_SECRET = ""
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    _link(people["staff"], delivery=LineLink.Delivery.LINE_ONLY)
    _notice(people["staff"])
    assert notifications_deliver() == 1
    assert len(mail.outbox) == 1  # LINE-only is ignored while the office has no channel


# --- the settings page by role -------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["school_user", "school_director", "staff", "group_head", "deputy_director", "director"]
)
def test_every_role_can_link_choose_and_unlink(client, people, fake_line, role):
    user = people[role]
    client.force_login(user)
    assert client.get(reverse("line_messaging:settings")).status_code == 200
    client.post(reverse("line_messaging:code"))
    code = LinkCode.objects.get(user=user, used_at__isnull=True).code
    _post_webhook(client, [_event(text=code)])
    response = client.post(reverse("line_messaging:settings"), {"delivery": "line"})
    assert response.status_code == 302
    assert LineLink.objects.get(user=user).delivery == LineLink.Delivery.LINE_ONLY
    client.post(reverse("line_messaging:unlink"))
    assert not LineLink.objects.filter(user=user).exists()


def test_a_bad_choice_is_refused_in_thai_and_nothing_changes(client, people, fake_line):
    _link(people["staff"])
    client.force_login(people["staff"])
    response = client.post(reverse("line_messaging:settings"), {"delivery": "fax"})
    assert response.status_code == 200
    assert "เลือกตัวเลือกที่ถูกต้อง" in response.content.decode()
    assert LineLink.objects.get(user=people["staff"]).delivery == LineLink.Delivery.BOTH


def test_outsider_cannot_touch_settings(client):
    for name in ("settings", "code", "unlink", "guide"):
        response = client.post(reverse(f"line_messaging:{name}"))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_profile_links_to_line_settings_and_the_thai_guide(client, people):
    client.force_login(people["staff"])
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("line_messaging:settings") in page and reverse("line_messaging:guide") in page
    guide = client.get(reverse("line_messaging:guide")).content.decode()
    assert "Channel access token" in guide and "/line/webhook/" in guide
