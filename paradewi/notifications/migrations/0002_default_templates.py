"""The default message texts (Indonesian and English), and the catch-up cursor at the newest
history row, so notifications start with this release and never announce older history."""

from django.db import migrations
from django.db.models import Max


def seed(apps, schema_editor):
    from paradewi.notifications.defaults import DEFAULTS

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (event, channel), languages in DEFAULTS.items():
        for language, text in languages.items():
            MessageTemplate.objects.get_or_create(
                event=event, channel=channel, language=language, defaults=dict(text)
            )
    Transition = apps.get_model("requests", "Transition")
    Cursor = apps.get_model("notifications", "Cursor")
    newest = Transition.objects.aggregate(newest=Max("pk"))["newest"] or 0
    Cursor.objects.get_or_create(name="transitions", defaults={"position": newest})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
