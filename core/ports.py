"""Operations one app offers to the others without being imported by them.

Domain apps are independent of each other (see ARCHITECTURE.md). Where one needs a service of
another (equipment that comes back damaged from a loan becomes a repair ticket), the provider
registers a function here under a name when it starts, and the consumer calls it by that name.
The name is the contract; a consumer whose provider is not installed gets `PortMissing`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_provided: dict[str, Callable[..., Any]] = {}


class PortMissingError(LookupError):
    """No installed app provides the operation."""


def provide(name: str, operation: Callable[..., Any]) -> None:
    """Offer `operation` under `name` (an app does this in its AppConfig.ready)."""
    _provided[name] = operation


def use(name: str) -> Callable[..., Any]:
    """The operation offered under `name`."""
    try:
        return _provided[name]
    except KeyError:
        raise PortMissingError(f"No installed app provides {name!r}.") from None


def is_provided(name: str) -> bool:
    return name in _provided
