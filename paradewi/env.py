"""Typed readers for environment variables.

Settings are read from the environment only (12-factor). Each helper fails loudly with
``ImproperlyConfigured`` naming the variable when a value is present but malformed, so a typo
in a deployment stops the server at start-up instead of silently using a default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import time

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = frozenset({"1", "true", "yes", "on"})
FALSE_VALUES = frozenset({"0", "false", "no", "off"})


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def env_str(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_optional_str(name: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    return _raw(name, environ)


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in TRUE_VALUES:
        return True
    if lowered in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of {sorted(TRUE_VALUES | FALSE_VALUES)}."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum of {maximum}.")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    """A comma-separated list; empty items are dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: tuple[str, ...], *, environ: Mapping[str, str] | None = None
) -> str:
    value = env_str(name, default, environ=environ)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(choices)}.")
    return value


def env_int_list(
    name: str,
    default: list[int],
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[int]:
    """A comma-separated list of whole numbers, each within the bounds."""
    items = env_list(name, [str(item) for item in default], environ=environ)
    numbers = []
    for item in items:
        try:
            number = int(item)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not a whole number.") from None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise ImproperlyConfigured(f"{name}: {number} is outside {minimum}..{maximum}.")
        numbers.append(number)
    if not numbers:
        raise ImproperlyConfigured(f"{name} must list at least one number.")
    return numbers


def env_time_range(
    name: str, default: str, *, environ: Mapping[str, str] | None = None
) -> tuple[time, time]:
    """ "08:00-16:00" -> (08:00, 16:00)."""
    value = env_str(name, default, environ=environ)
    opens_text, _, closes_text = value.partition("-")
    try:
        opens, closes = (
            time.fromisoformat(opens_text.strip()),
            time.fromisoformat(closes_text.strip()),
        )
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} must look like 08:00-16:00.") from None
    if closes <= opens:
        raise ImproperlyConfigured(f"{name}={value!r}: closing must be after opening.")
    return opens, closes
