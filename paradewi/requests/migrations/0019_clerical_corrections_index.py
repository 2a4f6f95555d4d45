"""A partial index of the Dinas's clerical errors corrected: the regency's speed report counts
them (reports.selectors.corrections_report) from a few rows instead of the whole table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("requests", "0018_name_token_request_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(
                condition=models.Q(("correction_cause", "clerical")),
                fields=["district", "status"],
                name="req_clerical_corrections",
            ),
        ),
    ]
