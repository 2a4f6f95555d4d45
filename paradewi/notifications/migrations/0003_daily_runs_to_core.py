"""The clock's daily jobs now keep the day they last ran in `core.DailyRun`: carry over the
days recorded in the notifications cursors, so no daily job runs twice on the day of the
upgrade."""

from datetime import date

from django.db import migrations

PREFIX = "daily:"


def forward(apps, schema_editor):
    Cursor = apps.get_model("notifications", "Cursor")
    DailyRun = apps.get_model("core", "DailyRun")
    for cursor in Cursor.objects.filter(name__startswith=PREFIX):
        day = date.fromordinal(cursor.position) if cursor.position > 0 else None
        DailyRun.objects.update_or_create(name=cursor.name[len(PREFIX) :], defaults={"day": day})
    Cursor.objects.filter(name__startswith=PREFIX).delete()


def backward(apps, schema_editor):
    Cursor = apps.get_model("notifications", "Cursor")
    DailyRun = apps.get_model("core", "DailyRun")
    for run in DailyRun.objects.all():
        position = run.day.toordinal() if run.day else 0
        Cursor.objects.update_or_create(name=PREFIX + run.name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("notifications", "0002_default_templates"),
    ]

    operations = [migrations.RunPython(forward, backward)]
