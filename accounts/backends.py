"""How a signed-in person is read on every request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.models import User

PORTAL_BACKEND = "accounts.backends.PortalBackend"
# The backend sessions signed in before this one name; they are read as this one's (the same
# users, checked the same way), so the change signs nobody out.
DJANGO_BACKEND = "django.contrib.auth.backends.ModelBackend"


class PortalBackend(ModelBackend):
    """Django's ModelBackend, reading the person with their office in the same query: every
    page's header and footer name the office, so it would be a query of its own on each."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("office").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
