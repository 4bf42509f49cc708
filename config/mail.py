"""The demo's console mail: one readable block per message (decoded Thai subject and text),
instead of the MIME source with base64-encoded headers and parts that floods the demo log."""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend as ConsoleBackend


class ReadableConsoleBackend(ConsoleBackend):
    def write_message(self, message) -> None:
        lines = [
            f"[e-mail] To: {', '.join(message.recipients())}",
            f"[e-mail] Subject: {message.subject}",
            message.body.rstrip(),
        ]
        for alternative in getattr(message, "alternatives", []) or []:
            lines.append(f"(+ {alternative[1]} alternative, {len(alternative[0])} characters)")
        for attachment in message.attachments:
            name = attachment[0] if isinstance(attachment, tuple) else attachment.get_filename()
            lines.append(f"(+ attachment {name})")
        self.stream.write("\n".join(lines) + "\n" + "-" * 40 + "\n")
