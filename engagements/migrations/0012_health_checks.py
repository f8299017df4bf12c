import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0011_learning"),
        ("partners", "0004_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HealthCheckRound",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("opened_on", models.DateField(default=django.utils.timezone.localdate, verbose_name="opened on")),
                ("closes_on", models.DateField(verbose_name="closes on")),
                (
                    "rhythm_months",
                    models.PositiveSmallIntegerField(
                        default=3,
                        help_text="The next health check is due this many months after this one opened.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(12),
                        ],
                        verbose_name="rhythm in months",
                    ),
                ),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed at")),
                (
                    "opened_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="opened by",
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="health_check_rounds",
                        to="engagements.partnership",
                        verbose_name="partnership",
                    ),
                ),
            ],
            options={
                "verbose_name": "health check round",
                "verbose_name_plural": "health check rounds",
                "ordering": ["-opened_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="HealthCheckAnswer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "side",
                    models.CharField(
                        choices=[("facilitators", "The facilitating side"), ("member", "A member organization")],
                        max_length=12,
                        verbose_name="side",
                    ),
                ),
                ("statement", models.SlugField(max_length=40, verbose_name="statement")),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                        verbose_name="score",
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                ("answered_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="answered at")),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="partners.organization",
                        verbose_name="organization",
                    ),
                ),
                (
                    "respondent",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="respondent",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="engagements.healthcheckround",
                        verbose_name="round",
                    ),
                ),
            ],
            options={
                "verbose_name": "health check answer",
                "verbose_name_plural": "health check answers",
                "ordering": ["round", "statement", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="healthcheckround",
            index=models.Index(fields=["partnership", "-opened_on"], name="health_round_partnership"),
        ),
        migrations.AddConstraint(
            model_name="healthcheckround",
            constraint=models.CheckConstraint(
                condition=models.Q(("closes_on__gte", models.F("opened_on"))), name="health_round_closes_after_opening"
            ),
        ),
        migrations.AddConstraint(
            model_name="healthcheckround",
            constraint=models.CheckConstraint(
                condition=models.Q(("rhythm_months__gte", 1), ("rhythm_months__lte", 12)),
                name="health_round_rhythm_1_to_12",
            ),
        ),
        migrations.AddConstraint(
            model_name="healthcheckanswer",
            constraint=models.UniqueConstraint(
                fields=("round", "respondent", "statement"), name="one_health_answer_per_statement"
            ),
        ),
        migrations.AddConstraint(
            model_name="healthcheckanswer",
            constraint=models.CheckConstraint(
                condition=models.Q(("score__gte", 1), ("score__lte", 5)), name="health_score_from_1_to_5"
            ),
        ),
        migrations.AddConstraint(
            model_name="healthcheckanswer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("organization__isnull", False), ("side", "member")),
                    models.Q(("organization__isnull", True), ("side", "facilitators")),
                    _connector="OR",
                ),
                name="health_answer_side_matches_organization",
            ),
        ),
    ]
