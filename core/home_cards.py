"""The home page's module cards: each domain app registers one summary card under its menu key.

Explicit registration (in the app's `AppConfig.ready`), like the engine's case hooks, so the
portal app never imports a domain app and a reader finds every card by searching for
`home_card`. A card is shown only to users who see the module in the menu.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

# The project's user model (accounts.User). Core imports no app, so it cannot name the class;
# providers declare it themselves.
User = Any


@dataclass(frozen=True)
class CardLine:
    label: str | Promise
    count: int
    url: str
    tone: str = "secondary"  # a Bootstrap colour for the count's badge


@dataclass(frozen=True)
class HomeCard:
    title: str | Promise
    lines: list[CardLine]
    actions: list[tuple[str | Promise, str]] = field(default_factory=list)


@dataclass(frozen=True)
class EmptyState:
    """A home-page section's title, what it says when empty, and a hint."""

    title: str | Promise
    empty: str | Promise
    hint: str | Promise


CardProvider = Callable[[User, datetime.date], HomeCard | None]
_providers: dict[str, CardProvider] = {}
# Modules whose home panels have templates of their own add their figures to the context.
ContextProvider = Callable[[User, datetime.date, set[str]], dict[str, Any]]
_context_providers: list[ContextProvider] = []


def home_card(menu_key: str) -> Callable[[CardProvider], CardProvider]:
    """Register the card of the module behind the menu item `menu_key`."""

    def register(provider: CardProvider) -> CardProvider:
        _providers[menu_key] = provider
        return provider

    return register


def cards_for(user: User, today: datetime.date, menu_keys: list[str]) -> list[HomeCard]:
    cards = []
    for key in menu_keys:
        provider = _providers.get(key)
        card = provider(user, today) if provider else None
        if card is not None:
            cards.append(card)
    return cards


def home_context(provider: ContextProvider) -> ContextProvider:
    """Register `provider(user, today, panels)`, whose dict is merged into the home context;
    `panels` names the role panels shown (e.g. "dmc_certification", "reports")."""
    if provider not in _context_providers:
        _context_providers.append(provider)
    return provider


def context_for(user: User, today: datetime.date, panels: set[str]) -> dict[str, Any]:
    context: dict[str, Any] = {"extra_sections": []}
    for provider in _context_providers:
        extra = provider(user, today, panels)
        context["extra_sections"] += extra.pop("extra_sections", [])
        context.update(extra)
    return context
