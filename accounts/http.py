"""The request type of the portal's signed-in pages, for the type checker.

Django types `request.user` as the user *or* an anonymous one; behind `login_required` it is
always the portal's `User`. Views that require a login annotate `request` with
`AuthenticatedHttpRequest` so their use of the user's office, school and roles is checked.
"""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
