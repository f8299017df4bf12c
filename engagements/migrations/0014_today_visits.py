from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0013_health_snapshots"),
    ]

    operations = []
