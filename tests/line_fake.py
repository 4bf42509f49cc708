"""A local fake of the LINE Messaging API: a loopback HTTP server the SDK is pointed at.

It answers the push and reply endpoints like LINE does (200 with sent messages; 409 for a
retry key it has accepted before), records every call, and can be told to refuse the next
calls with a given status, as LINE does when the token is wrong or the quota is spent.
Signing a webhook body the way LINE does is here too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SECRET = "test-channel-secret"
TOKEN = "test-channel-access-token"


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@dataclass
class Call:
    path: str
    headers: dict
    body: dict


@dataclass
class FakeLine:
    calls: list[Call] = field(default_factory=list)
    refuse: list[int] = field(default_factory=list)  # statuses for the next calls, in order
    accepted_retry_keys: set[str] = field(default_factory=set)
    url: str = ""

    def pushes(self, to: str | None = None) -> list[dict]:
        return [
            c.body
            for c in self.calls
            if c.path == "/v2/bot/message/push"
            and c.body.get("_status") == 200
            and (to is None or c.body.get("to") == to)
        ]

    def texts(self, to: str | None = None) -> list[str]:
        out = []
        for body in self.pushes(to):
            for message in body["messages"]:
                out.append(message.get("text") or message.get("altText"))
        return out


def _handler(fake: FakeLine):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = 200
            if headers.get("authorization") != f"Bearer {TOKEN}":
                status = 401
            elif fake.refuse:
                status = fake.refuse.pop(0)
            elif (key := headers.get("x-line-retry-key")) in fake.accepted_retry_keys:
                status = 409
            elif key:
                fake.accepted_retry_keys.add(key)
            body["_status"] = status
            fake.calls.append(Call(self.path, headers, body))
            answer = {"sentMessages": [{"id": str(len(fake.calls)), "quoteToken": "q"}]}
            if status != 200:
                answer = {"message": "refused by the fake LINE API"}
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture
def fake_line(settings):
    """Start the fake on a free loopback port and point the portal's LINE settings at it."""
    fake = FakeLine()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.LINE_API_HOST = fake.url
    settings.LINE_CHANNEL_SECRET = SECRET
    settings.LINE_CHANNEL_ACCESS_TOKEN = TOKEN
    settings.LINE_BASIC_ID = "@ictportal"
    yield fake
    server.shutdown()
    server.server_close()
