# The risk register: risks, their history, flag acknowledgements, and the trust-log kind they write.
# Operations copied from `makemigrations --dry-run` (models: Risk, HistoricalRisk, FlagAcknowledgement,
# TrustEntry.kind).

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0009_reminder_guarantees"),
        ("partners", "0004_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='trustentry',
            name='kind',
            field=models.CharField(choices=[('commitment_made', 'Commitment made'), ('commitment_kept', 'Commitment kept'), ('commitment_kept_late', 'Commitment kept late'), ('commitment_broken', 'Commitment broken'), ('commitment_renegotiated', 'Commitment renegotiated'), ('commitment_withdrawn', 'Commitment withdrawn'), ('commitment_confirmed', 'Kept commitment confirmed'), ('commitment_disputed', 'Kept commitment disputed'), ('plan_agreed', 'Plan revision agreed'), ('check_in_held', 'Check-in held'), ('member_joined', 'Member joined'), ('member_left', 'Member left'), ('leadership_changed', 'Leadership change in a member group'), ('flag_acknowledged', 'Risk flag acknowledged'), ('budget_shared', 'Budget shared'), ('report_shared', 'Report shared'), ('open_meeting', 'Open meeting'), ('conflict_raised', 'Conflict raised'), ('conflict_resolved', 'Conflict resolved'), ('other', 'Other'), ('correction', 'Correction')], max_length=32, verbose_name='kind'),
        ),
        migrations.CreateModel(
            name='HistoricalRisk',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('category', models.CharField(choices=[('coordination', 'Informal structure: coordination and accountability'), ('leadership', 'Leadership change'), ('funding', 'Unstable funding'), ('custom', 'Another risk')], max_length=16, verbose_name='kind of risk')),
                ('title', models.CharField(help_text='In a few words: what could go wrong.', max_length=200, verbose_name='risk')),
                ('description', models.TextField(blank=True, verbose_name='what we see')),
                ('likelihood', models.PositiveSmallIntegerField(choices=[(1, '1 · Rare'), (2, '2 · Unlikely'), (3, '3 · Possible'), (4, '4 · Likely'), (5, '5 · Almost certain')], default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='likelihood')),
                ('impact', models.PositiveSmallIntegerField(choices=[(1, '1 · Slight'), (2, '2 · Minor'), (3, '3 · Moderate'), (4, '4 · Major'), (5, '5 · Severe')], default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='impact')),
                ('owner_side', models.CharField(choices=[('facilitators', 'The facilitating side'), ('member', 'A member organization')], default='facilitators', max_length=12, verbose_name='who looks after it')),
                ('mitigation', models.TextField(blank=True, verbose_name='mitigation')),
                ('status', models.CharField(choices=[('open', 'Open'), ('mitigating', 'Being mitigated'), ('closed', 'Closed')], default='open', max_length=12, verbose_name='status')),
                ('review_on', models.DateField(blank=True, null=True, verbose_name='review on')),
                ('internal_notes', models.TextField(blank=True, help_text='Facilitators only.', verbose_name='internal notes')),
                ('from_flag', models.CharField(blank=True, editable=False, max_length=80, verbose_name='from the flag')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('closed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='closed at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('owner_organization', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.organization', verbose_name='owning organization')),
                ('partnership', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='engagements.partnership', verbose_name='partnership')),
            ],
            options={
                'verbose_name': 'historical risk',
                'verbose_name_plural': 'historical risks',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='FlagAcknowledgement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('flag_key', models.CharField(max_length=80, verbose_name='flag')),
                ('note', models.TextField(verbose_name='note')),
                ('acknowledged_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='acknowledged at')),
                ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='acknowledged by')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flag_acknowledgements', to='engagements.partnership', verbose_name='partnership')),
            ],
            options={
                'verbose_name': 'flag acknowledgement',
                'verbose_name_plural': 'flag acknowledgements',
                'ordering': ['-acknowledged_at', '-pk'],
                'constraints': [models.UniqueConstraint(fields=('partnership', 'flag_key'), name='one_acknowledgement_per_flag')],
            },
        ),
        migrations.CreateModel(
            name='Risk',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('category', models.CharField(choices=[('coordination', 'Informal structure: coordination and accountability'), ('leadership', 'Leadership change'), ('funding', 'Unstable funding'), ('custom', 'Another risk')], max_length=16, verbose_name='kind of risk')),
                ('title', models.CharField(help_text='In a few words: what could go wrong.', max_length=200, verbose_name='risk')),
                ('description', models.TextField(blank=True, verbose_name='what we see')),
                ('likelihood', models.PositiveSmallIntegerField(choices=[(1, '1 · Rare'), (2, '2 · Unlikely'), (3, '3 · Possible'), (4, '4 · Likely'), (5, '5 · Almost certain')], default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='likelihood')),
                ('impact', models.PositiveSmallIntegerField(choices=[(1, '1 · Slight'), (2, '2 · Minor'), (3, '3 · Moderate'), (4, '4 · Major'), (5, '5 · Severe')], default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='impact')),
                ('owner_side', models.CharField(choices=[('facilitators', 'The facilitating side'), ('member', 'A member organization')], default='facilitators', max_length=12, verbose_name='who looks after it')),
                ('mitigation', models.TextField(blank=True, verbose_name='mitigation')),
                ('status', models.CharField(choices=[('open', 'Open'), ('mitigating', 'Being mitigated'), ('closed', 'Closed')], default='open', max_length=12, verbose_name='status')),
                ('review_on', models.DateField(blank=True, null=True, verbose_name='review on')),
                ('internal_notes', models.TextField(blank=True, help_text='Facilitators only.', verbose_name='internal notes')),
                ('from_flag', models.CharField(blank=True, editable=False, max_length=80, verbose_name='from the flag')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('closed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='closed at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('owner_organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='risks_owned', to='partners.organization', verbose_name='owning organization')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='risks', to='engagements.partnership', verbose_name='partnership')),
            ],
            options={
                'verbose_name': 'risk',
                'verbose_name_plural': 'risks',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['partnership', 'status'], name='risk_partnership_status'), models.Index(fields=['partnership', 'from_flag'], name='risk_partnership_flag')],
                'constraints': [models.CheckConstraint(condition=models.Q(('likelihood__gte', 1), ('likelihood__lte', 5), ('impact__gte', 1), ('impact__lte', 5)), name='risk_scores_from_1_to_5'), models.CheckConstraint(condition=models.Q(models.Q(('owner_organization__isnull', False), ('owner_side', 'member')), models.Q(('owner_organization__isnull', True), ('owner_side', 'facilitators')), _connector='OR'), name='risk_owner_matches_side')],
            },
        ),
    ]
