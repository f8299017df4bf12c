import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0012_health_checks"),
    ]

    operations = [
        migrations.CreateModel(
            name="HealthSnapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="day")),
                ("score", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="health score")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created at"),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="health_snapshots",
                        to="engagements.partnership",
                        verbose_name="partnership",
                    ),
                ),
            ],
            options={
                "verbose_name": "health snapshot",
                "verbose_name_plural": "health snapshots",
                "ordering": ["partnership", "-day"],
                "constraints": [
                    models.UniqueConstraint(fields=("partnership", "day"), name="one_health_snapshot_per_day"),
                    models.CheckConstraint(
                        condition=models.Q(("score__isnull", True), ("score__lte", 100), _connector="OR"),
                        name="health_score_up_to_100",
                    ),
                ],
            },
        ),
    ]
