# OutputFile, moved here from the requests app: the table (requests_outputfile) and its rows
# already exist, so only the migration state is created.

import django.db.models.deletion
import paradewi.core.fields
import paradewi.requests.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('requests', '0010_name_search_per_area'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='OutputFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('output_code', models.SlugField(max_length=40, verbose_name='document')),
                ('file', models.FileField(max_length=200, upload_to=paradewi.requests.models.output_path, verbose_name='file')),
                ('size', models.PositiveIntegerField(verbose_name='size')),
                ('sha256', models.CharField(db_index=True, max_length=64)),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                ('verification_code', models.CharField(default=paradewi.requests.models.new_verification_code, editable=False, max_length=12, unique=True, verbose_name='verification code')),
                ('document_number', paradewi.core.fields.EncryptedTextField(blank=True, max_length=40, verbose_name='document number')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                ('revoked_reason', models.CharField(blank=True, max_length=200, verbose_name='reason for revocation')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outputs', to='requests.servicerequest')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('superseded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='documents.outputfile')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'output document',
                'verbose_name_plural': 'output documents',
                'db_table': 'requests_outputfile',
                'ordering': ['output_code', 'uploaded_at'],
            },
        ),
        ],
        ),
    ]
