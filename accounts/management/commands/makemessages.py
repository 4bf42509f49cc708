"""`makemessages` without fuzzy matching.

msgmerge's default guesses a translation for every new message from a similar old one (a new
"Awaiting approval" got the text of "awaiting purchase approval"); those guesses are marked
fuzzy, ignored by compilemessages and easy to ship unread. New messages stay empty instead, so
the translation check lists them.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
