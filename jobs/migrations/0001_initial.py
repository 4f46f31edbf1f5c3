"""Job posts, invites and proposals, taken over from the offers app with their rows.

On a database migrated before the move, offers.0003 has renamed the tables; here the models
enter Django's state without touching the database, and the content types (and with them
permissions and admin history) follow. The only real change is the new ``hired_at`` column.
"""

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    for model in ('job', 'invite', 'proposal'):
        if not ContentType.objects.using(db).filter(app_label='jobs', model=model).exists():
            ContentType.objects.using(db).filter(app_label='offers', model=model).update(app_label='jobs')


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    for model in ('job', 'invite', 'proposal'):
        if not ContentType.objects.using(db).filter(app_label='offers', model=model).exists():
            ContentType.objects.using(db).filter(app_label='jobs', model=model).update(app_label='offers')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_connectsledgerentry'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('offers', '0003_job_invite_proposal_tables_for_jobs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Job',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('description', models.TextField()),
                        ('skills', models.CharField(blank=True, help_text='Comma-separated skills.', max_length=500)),
                        ('contract_type', models.CharField(choices=[('hourly', 'Hourly'), ('fixed', 'Fixed price')], default='hourly', max_length=10)),
                        ('budget_amount', models.DecimalField(blank=True, decimal_places=2, help_text='Hourly rate or fixed budget.', max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))])),
                        ('budget_currency', models.CharField(choices=[('USD', 'USD – US dollar'), ('EUR', 'EUR – Euro'), ('GBP', 'GBP – Pound sterling'), ('CAD', 'CAD – Canadian dollar'), ('AUD', 'AUD – Australian dollar'), ('INR', 'INR – Indian rupee')], default='USD', max_length=3)),
                        ('connects_price', models.PositiveSmallIntegerField(default=6, help_text='Connects a freelancer spends to accept a direct invite to this job.', validators=[django.core.validators.MaxValueValidator(50)])),
                        ('direct_invite_limit', models.PositiveSmallIntegerField(default=30, help_text='Direct invites allowed for this job; referred invites do not count.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(500)])),
                        ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=10)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='jobs', to='accounts.company')),
                        ('posted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='jobs_posted', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['company', '-created_at'], name='job_company_newest_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='Invite',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(choices=[('direct', 'Direct'), ('referral', 'Referral')], default='direct', max_length=10)),
                        ('message', models.TextField(blank=True)),
                        ('state', models.CharField(choices=[('pending', 'Pending'), ('accepted', 'Accepted'), ('declined', 'Declined')], default='pending', max_length=10)),
                        ('decline_reason', models.TextField(blank=True)),
                        ('responded_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('freelancer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invites_received', to=settings.AUTH_USER_MODEL)),
                        ('invited_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invites_sent', to=settings.AUTH_USER_MODEL)),
                        ('job', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invites', to='jobs.job')),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                        'constraints': [models.UniqueConstraint(fields=('job', 'freelancer'), name='invite_once_per_job')],
                    },
                ),
                migrations.CreateModel(
                    name='Proposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('cover_letter', models.TextField(blank=True)),
                        ('connects_spent', models.PositiveSmallIntegerField(default=0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('freelancer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to=settings.AUTH_USER_MODEL)),
                        ('invite', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='proposal', to='jobs.invite')),
                        ('job', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to='jobs.job')),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                        'constraints': [models.UniqueConstraint(fields=('job', 'freelancer'), name='proposal_once_per_job')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
        migrations.AddField(
            model_name='invite',
            name='hired_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
