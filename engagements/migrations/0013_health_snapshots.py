from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0012_health_checks"),
    ]

    operations = []
