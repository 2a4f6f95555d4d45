"""The default message templates (docs/notifications.md, "Message templates")."""

from __future__ import annotations

from paradewi.notifications.models import MessageTemplate


def templates_seed(*, overwrite: bool = False) -> int:
    """Write the default templates for every event, channel and language; with `overwrite`,
    put back the defaults over the administrator's edits. Returns the rows written."""
    from paradewi.notifications.defaults import DEFAULTS

    written = 0
    for (event, channel), languages in DEFAULTS.items():
        for language, text in languages.items():
            if overwrite:
                MessageTemplate.objects.update_or_create(
                    event=event, channel=channel, language=language, defaults=dict(text)
                )
                written += 1
            else:
                _row, created = MessageTemplate.objects.get_or_create(
                    event=event, channel=channel, language=language, defaults=dict(text)
                )
                written += int(created)
    return written
