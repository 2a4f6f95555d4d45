# OutputFile moved to the documents app; its table (requests_outputfile) and rows stay as
# they are, so only the migration state changes here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('requests', '0010_name_search_per_area'),
        ('documents', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='OutputFile',
                ),
            ],
            database_operations=[],
        ),
    ]
