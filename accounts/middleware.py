from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ThaiFirstMiddleware:
    """Serve Thai unless the person chose English with the language switch.

    Many office and school computers run an English browser; the browser's Accept-Language
    must not turn the portal English behind the user's back. Placed before LocaleMiddleware,
    so only the language cookie (set by the switch) decides.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
