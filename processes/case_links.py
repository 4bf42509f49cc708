"""Links a domain app adds to a case's page (its trainings, minutes…), without the engine
knowing the app: explicit registration in the app's `AppConfig.ready`, like `hooks.py`.

    @case_links
    def training_links(case, user) -> list[CaseLink]:
        return [CaseLink("การอบรม: …", "/trainings/12/")]

Each provider gets the case (already checked visible to the user) and the user, and returns
the links that user may follow; the case page lists them under "Records of this case".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from accounts.models import User
    from processes.models import Case


@dataclass(frozen=True)
class CaseLink:
    label: str | Promise
    url: str
    action: bool = False  # True: a button that creates something, not a record to open


LinkProvider = Callable[["Case", "User"], list[CaseLink]]
_providers: list[LinkProvider] = []


def case_links(provider: LinkProvider) -> LinkProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def links_for(case: Case, user: User) -> list[CaseLink]:
    links: list[CaseLink] = []
    for provider in _providers:
        links += provider(case, user)
    return links
