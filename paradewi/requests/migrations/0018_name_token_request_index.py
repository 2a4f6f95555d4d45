"""The name hashes get an index on (request, token): whether a request's name has a given word
is one probe (requests/name_index.py intersects the words of a search with it), and a request's
hashes are found by it as by the foreign key's own index, which it replaces. Made before the
old one is dropped, so the hashes are never without an index by request."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("requests", "0017_encrypted_names"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="nametoken",
            index=models.Index(fields=["request", "token"], name="name_token_request"),
        ),
        migrations.AlterField(
            model_name="nametoken",
            name="request",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="requests.servicerequest",
            ),
        ),
    ]
